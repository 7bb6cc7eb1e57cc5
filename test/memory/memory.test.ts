import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet, type JWKInterface } from '../../src/arweave/wallet.js';
import { createMemory, memoryTags, type Memory } from '../../src/memory/memory.js';
import { createMemoryLogger } from '../../src/logger.js';
import { allFiles } from '../support/files.js';
import { makeTmpDir } from '../support/tmp-dir.js';

const masterKey = new Uint8Array(32).fill(7);
const turn = (userText: string, reply = 'noted', at = new Date().toISOString()) => ({ turnId: `t-${Math.random().toString(36).slice(2)}`, userText, reply, at });


describe('encrypted memory on Arweave (arlocal)', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let gateway: LocalArweave;
  let wallet: JWKInterface;
  let client: ArweaveClient;
  const memories: Memory[] = [];
  const open = async (dataDir: string, extra: Partial<Parameters<typeof createMemory>[0]> = {}) => {
    const logger = createMemoryLogger();
    const memory = await createMemory({ arweave: client, masterKey, dataDir, logger, outbox: { batchDelayMs: 20, maxBackoffMs: 200 }, ...extra });
    memories.push(memory);
    return { memory, logger };
  };

  beforeAll(async () => {
    tmp = await makeTmpDir('memory');
    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
    wallet = await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json'));
    client = createArweaveClient({ url: gateway.url, wallet, local: true });
  });
  afterAll(async () => {
    for (const memory of memories) await memory.close().catch(() => undefined);
    await gateway?.stop();
    await tmp?.remove();
  });

  it('round trip: remember, flush to Arweave, recall recent and relevant turns and facts', async () => {
    const { memory } = await open(path.join(tmp.dir, 'a'));
    await memory.rememberTurn('cli:alice', turn('my name is Alice and I love sailing', 'Hello Alice!', '2026-01-01T10:00:00.000Z'));
    for (let i = 0; i < 8; i++) await memory.rememberTurn('cli:alice', turn(`filler message number ${i} about the weather`, 'ok', `2026-01-02T10:0${i}:00.000Z`));
    await memory.rememberFacts('cli:alice', [{ factKind: 'name', text: 'Alice', sourceTurnId: 't' }]);
    expect(await memory.flush(10_000)).toBe(true);
    const recalled = await memory.recall('cli:alice', 'what do I love? sailing?', { recent: 3, relevant: 2 });
    expect(recalled.recent).toHaveLength(3);
    expect(recalled.relevant[0]).toContain('I love sailing');
    expect(recalled.facts).toEqual(['name: Alice']);
  });

  it('rebuilds a user\'s memory on a fresh machine from Arweave alone, and batches writes into bundles', async () => {
    const { memory } = await open(path.join(tmp.dir, 'b'));
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(...(await memory.rememberTurn('web:s1', turn(`batch turn ${i}`))));
    expect(await memory.flush(10_000)).toBe(true);
    expect(memory.stats().outbox.bundles).toBeLessThan(10);
    expect(memory.stats().outbox.posted).toBe(20);
    const fresh = await open(path.join(tmp.dir, 'b-fresh'));
    const exported = await fresh.memory.exportUser('web:s1');
    expect(exported.records.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(exported.records.map((r) => (r.kind === 'turn' ? r.userText : ''))).toContain('batch turn 7');
    // A turn is found by its id on the fresh machine too (a message asked again after a crash).
    const seventh = exported.records.find((r) => r.kind === 'turn' && r.userText === 'batch turn 7');
    expect(seventh?.kind === 'turn' ? await fresh.memory.findTurn('web:s1', seventh.turnId) : undefined).toMatchObject({ userText: 'batch turn 7' });
    expect(await fresh.memory.findTurn('web:s1', 'no-such-turn')).toBeUndefined();
    expect(seventh?.kind === 'turn' ? await fresh.memory.findTurn('web:other', seventh.turnId) : 'missing').toBeUndefined();
  });

  it('recovers the outbox after a crash, and never writes a record twice', async () => {
    const dir = path.join(tmp.dir, 'c');
    // A crash before anything reached Arweave: the drainer never ran.
    const crashed = await createMemory({ arweave: client, masterKey, dataDir: dir, logger: createMemoryLogger(), outbox: { batchDelayMs: 3_600_000 } });
    const ids = [...(await crashed.rememberTurn('cli:carol', turn('crash one'))), ...(await crashed.rememberTurn('cli:carol', turn('crash two')))];
    const outboxDir = path.join(dir, 'memory', 'outbox');
    const pending = (await readdir(outboxDir)).filter((f) => f.endsWith('.item'));
    expect(pending).toHaveLength(2);
    // ... and a crash after one item was posted but before it was deleted.
    const first = pending[0] as string;
    await client.postBundle([{ id: first.slice(first.indexOf('-') + 1, -5), raw: new Uint8Array(await readFile(path.join(outboxDir, first))) }]);
    const { memory } = await open(dir);
    expect(await memory.flush(10_000)).toBe(true);
    const onArweave = await client.query({ tags: [], ids, first: 10 });
    expect(onArweave.items.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(memory.stats().outbox.posted).toBe(1);
  });

  it('after a crash between an item\'s fsync and its cache line, the next start still knows the turn', async () => {
    const dir = path.join(tmp.dir, 'c2');
    const crashed = await createMemory({ arweave: client, masterKey, dataDir: dir, logger: createMemoryLogger(), outbox: { batchDelayMs: 3_600_000 } });
    const first = turn('said before the crash', 'first reply');
    const second = turn('said as it crashed', 'second reply');
    await crashed.rememberTurn('web:gina', first);
    const [secondId] = await crashed.rememberTurn('web:gina', second);
    // The crash tore the second cache line: only its first half reached the file.
    const file = path.join(dir, 'memory', 'cache', `${crashed.crypto.pseudonym('web:gina')}.jsonl`);
    const [line1, line2] = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${line1}\n${(line2 ?? '').slice(0, 40)}`);

    const { memory } = await open(dir);
    // The retried message finds the reply it was given, and recall has both turns, in order.
    expect(await memory.findTurn('web:gina', second.turnId)).toMatchObject({ reply: 'second reply' });
    const recalled = await memory.recall('web:gina', 'crash', { recent: 5, relevant: 0 });
    expect(recalled.recent.map((t) => t.userText)).toEqual(['said before the crash', 'said as it crashed']);
    // The torn fragment is gone from the cache, so the next line is not spoiled by it.
    await memory.rememberTurn('web:gina', turn('said after the restart'));
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toContain(secondId);
    expect(lines).toHaveLength(3);
    // And each record reaches Arweave once.
    expect(await memory.flush(10_000)).toBe(true);
    const fresh = await open(path.join(tmp.dir, 'c2-fresh'));
    expect((await fresh.memory.exportUser('web:gina')).records.map((r) => (r.kind === 'turn' ? r.userText : r.kind))).toEqual([
      'said before the crash', 'said as it crashed', 'said after the restart',
    ]);
  });

  it('a turn left only in the outbox reaches the cache at start, before it is sent, even if its user never comes back', async () => {
    const dir = path.join(tmp.dir, 'c4');
    const crashed = await createMemory({ arweave: client, masterKey, dataDir: dir, logger: createMemoryLogger(), outbox: { batchDelayMs: 3_600_000 } });
    await crashed.rememberTurn('web:ivy', turn('cached before the crash'));
    const lost = turn('only in the outbox', 'the reply given');
    await crashed.rememberTurn('web:ivy', lost);
    // The crash came after the item's fsync and before its cache line.
    const file = path.join(dir, 'memory', 'cache', `${crashed.crypto.pseudonym('web:ivy')}.jsonl`);
    const [line1] = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${line1}\n`);
    // The next run sends the outbox; ivy does not write meanwhile.
    const second = await createMemory({ arweave: client, masterKey, dataDir: dir, logger: createMemoryLogger(), outbox: { batchDelayMs: 0 } });
    expect(await second.flush(10_000)).toBe(true);
    await second.close();
    expect((await readdir(path.join(dir, 'memory', 'outbox'))).filter((f) => f.endsWith('.item'))).toEqual([]);
    // The run after that knows the turn from its cache alone (it no longer reads Arweave for ivy).
    const { memory } = await open(dir);
    expect(await memory.findTurn('web:ivy', lost.turnId)).toMatchObject({ reply: 'the reply given' });
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('sets a damaged outbox file aside, says so, and sends the rest', async () => {
    const dir = path.join(tmp.dir, 'c3');
    const outboxDir = path.join(dir, 'memory', 'outbox');
    await mkdir(outboxDir, { recursive: true });
    await writeFile(path.join(outboxDir, '00000000000000000001-broken.item'), 'not a data item');
    const { memory, logger } = await open(dir);
    const ids = await memory.rememberTurn('web:hal', turn('said after the damage'));
    expect(await memory.flush(10_000)).toBe(true);
    expect((await client.query({ tags: [], ids, first: 1 })).items).toHaveLength(1);
    expect(await readdir(path.join(outboxDir, 'unreadable'))).toEqual(['00000000000000000001-broken.item']);
    expect(logger.lines.join('\n')).toMatch(/outbox item broken cannot be read[\s\S]*broken\.item is not a whole data item; moved/);
  });

  it('rebuild keeps what is still in the outbox', async () => {
    const { memory } = await open(path.join(tmp.dir, 'h2'), { outbox: { batchDelayMs: 3_600_000 } });
    await memory.rememberTurn('cli:jo', turn('not sent yet'));
    expect(await memory.rebuild('cli:jo')).toEqual({ records: 1, notIndexed: 1 });
    const recalled = await memory.recall('cli:jo', 'sent', { recent: 5, relevant: 0 });
    expect(recalled.recent.map((t) => t.userText)).toEqual(['not sent yet']);
  });

  it('rebuild from Arweave skips a forged record posted under a user\'s pseudonym, and logs it', async () => {
    const { memory, logger } = await open(path.join(tmp.dir, 'h'));
    await memory.rememberTurn('cli:frank', turn('frank real turn'));
    expect(await memory.flush(10_000)).toBe(true);
    // Anyone can post under the User tag; the data cannot pass authentication.
    const forged = await client.signItem(new Uint8Array(64).fill(3), memoryTags(memory.crypto.pseudonym('cli:frank')));
    await client.postBundle([forged]);
    await client.mine();
    expect(await memory.rebuild('cli:frank')).toEqual({ records: 1, notIndexed: 0 });
    expect(logger.lines.some((l) => l.includes(forged.id) && l.includes('skipped'))).toBe(true);
    const recalled = await memory.recall('cli:frank', 'real', { recent: 5, relevant: 5 });
    expect(recalled.recent.map((t) => t.userText)).toEqual(['frank real turn']);
  });

  it('keeps accepting turns while the gateway is down and drains when it is back', async () => {
    const dir = path.join(tmp.dir, 'd');
    const port = gateway.port;
    const { memory, logger } = await open(dir);
    await gateway.stop();
    const ids = await memory.rememberTurn('cli:dave', turn('said during the outage'));
    expect(await memory.flush(1_500)).toBe(false);
    expect(logger.lines.join('\n')).toMatch(/could not reach Arweave, retrying/);
    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave'), port });
    expect(await memory.flush(15_000)).toBe(true);
    expect((await client.query({ tags: [], ids, first: 1 })).items).toHaveLength(1);
  });

  it('skips tampered and foreign records without breaking recall, and keeps users apart', async () => {
    const dir = path.join(tmp.dir, 'e');
    const { memory, logger } = await open(dir);
    await memory.rememberTurn('cli:erin', turn('erin secret one'));
    await memory.rememberTurn('cli:erin', turn('erin secret two'));
    await memory.rememberTurn('cli:bob', turn('bob likes chess'));
    const bob = await memory.recall('cli:bob', 'secret', { recent: 10, relevant: 10 });
    expect(JSON.stringify(bob)).not.toContain('erin');
    // Flip one byte of a cached record of erin's, on a fresh process reading the cache.
    const cacheDir = path.join(dir, 'memory', 'cache');
    const file = path.join(cacheDir, `${memory.crypto.pseudonym('cli:erin')}.jsonl`);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    const row = JSON.parse(lines[0] as string) as { id: string; sealed: string };
    const bytes = Buffer.from(row.sealed, 'base64');
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
    lines[0] = JSON.stringify({ id: row.id, sealed: bytes.toString('base64') });
    // And a record of bob's copied into erin's file: the cipher binds records to their user.
    const bobRow = (await readFile(path.join(cacheDir, `${memory.crypto.pseudonym('cli:bob')}.jsonl`), 'utf8')).trim();
    await writeFile(file, `${[...lines, bobRow].join('\n')}\n`);
    await memory.flush(10_000);
    const reread = await open(dir);
    const erin = await reread.memory.recall('cli:erin', 'secret', { recent: 10, relevant: 10 });
    expect(erin.recent.map((t) => t.userText)).toEqual(['erin secret two']);
    expect(reread.logger.lines.filter((l) => l.includes('skipped')).length).toBe(2);
    expect(logger.lines.length).toBeGreaterThanOrEqual(0);
  });

  it('forget hides everything before it; export is readable JSON', async () => {
    const { memory } = await open(path.join(tmp.dir, 'f'));
    await memory.rememberTurn('telegram:9', turn('old thing'));
    await memory.forget('telegram:9');
    await memory.rememberTurn('telegram:9', turn('new thing'));
    const recalled = await memory.recall('telegram:9', 'thing', { recent: 10, relevant: 10 });
    expect(recalled.recent.map((t) => t.userText)).toEqual(['new thing']);
    expect(recalled.relevant).toEqual([]);
    const exported = await memory.exportUser('telegram:9');
    expect(exported.records.map((r) => r.kind)).toEqual(['turn', 'forget', 'turn']);
  });

  it('a user this machine never saw costs no file, and a local-only recall of them no gateway query either', async () => {
    const dir = path.join(tmp.dir, 'unknown');
    let queries = 0;
    const counting: ArweaveClient = { ...client, queryAll: (filter) => (queries++, client.queryAll(filter)) };
    const { memory } = await open(dir, { arweave: counting });
    const cacheDir = path.join(dir, 'memory', 'cache');
    for (let n = 0; n < 20; n++) {
      expect(await memory.recall(`web:made-up-${n}`, '', { recent: 100, relevant: 0, localOnly: true })).toEqual({ recent: [], relevant: [], facts: [] });
    }
    expect(queries).toBe(0);
    // A full recall asks the gateway (the user may have talked on another machine), but a user
    // with no records gets no cache file.
    expect((await memory.recall('web:made-up-full', 'hi', { recent: 5, relevant: 5 })).recent).toEqual([]);
    expect(queries).toBe(1);
    expect(await readdir(cacheDir)).toEqual([]);
    // Resetting or forgetting nobody writes no record either.
    await memory.reset('web:made-up-0');
    await memory.forget('web:made-up-1');
    expect(await memory.waiting()).toBe(0);
    expect(memory.stats().outbox.posted).toBe(0);
    // Someone who talks is held from then on: a local-only recall finds them, after a restart too.
    await memory.rememberTurn('web:talker', turn('I am real'));
    expect((await memory.recall('web:talker', '', { recent: 5, relevant: 0, localOnly: true })).recent.map((t) => t.userText)).toEqual(['I am real']);
    expect(await memory.flush(10_000)).toBe(true);
    const restarted = await open(dir, { arweave: counting });
    const before = queries;
    expect((await restarted.memory.recall('web:talker', '', { recent: 5, relevant: 0, localOnly: true })).recent.map((t) => t.userText)).toEqual(['I am real']);
    expect(queries).toBe(before);
  });

  it('a reset is a record: it outlives a restart and a new machine, and keeps the memory', async () => {
    const dir = path.join(tmp.dir, 'reset');
    const { memory } = await open(dir);
    await memory.rememberTurn('telegram:-100:5', turn('before the reset about lighthouses', 'ok', new Date(Date.now() - 1000).toISOString()));
    await memory.reset('telegram:-100:5');
    await memory.rememberTurn('telegram:-100:5', turn('after the reset', 'ok', new Date(Date.now() + 1000).toISOString()));
    const expectAfterReset = async (which: Memory) => {
      const recalled = await which.recall('telegram:-100:5', 'lighthouses', { recent: 10, relevant: 5 });
      expect(recalled.recent.map((t) => t.userText)).toEqual(['after the reset']);
      // Not in the conversation any more, still in the memory.
      expect(recalled.relevant.join('\n')).toContain('before the reset about lighthouses');
      const remembered = await which.recall('telegram:-100:5', '', { recent: 10, relevant: 0, acrossResets: true });
      expect(remembered.recent.map((t) => t.userText)).toEqual(['before the reset about lighthouses', 'after the reset']);
    };
    await expectAfterReset(memory);
    expect(await memory.flush(10_000)).toBe(true);
    await expectAfterReset((await open(dir)).memory);
    await expectAfterReset((await open(path.join(tmp.dir, 'reset-fresh'))).memory);
    // A second reset with nothing said since ends nothing: no second record.
    await memory.reset('telegram:-100:5');
    await memory.reset('telegram:-100:5');
    expect((await memory.exportUser('telegram:-100:5')).records.map((r) => r.kind)).toEqual(['turn', 'reset', 'turn', 'reset']);
  });

  it('writes no plaintext anywhere: not on Arweave (data or tags), not in the cache or outbox', async () => {
    const dir = path.join(tmp.dir, 'g');
    const { memory } = await open(dir);
    const secret = 'zanzibar-marmalade-7781';
    await memory.rememberTurn('cli:plaintext-probe', turn(`my password is ${secret}`, `I will not repeat ${secret}`));
    await memory.rememberFacts('cli:plaintext-probe', [{ factKind: 'name', text: `Probe ${secret}`, sourceTurnId: 'x' }]);
    const pendingFiles = await allFiles(dir);
    for (const file of pendingFiles) {
      const content = await readFile(file, 'latin1');
      expect(content).not.toContain(secret);
      expect(content).not.toContain('plaintext-probe');
    }
    expect(await memory.flush(10_000)).toBe(true);
    const all = await client.queryAll({ tags: [{ name: 'App-Name', values: ['permachat'] }] });
    expect(all.length).toBeGreaterThan(10);
    for (const item of all) {
      const data = Buffer.from(await client.getData(item.id)).toString('latin1');
      const tags = JSON.stringify(item.tags);
      for (const needle of [secret, 'plaintext-probe', 'alice', 'Alice', 'sailing', 'cli:']) {
        expect(data).not.toContain(needle);
        expect(tags).not.toContain(needle);
      }
    }
  });
});
