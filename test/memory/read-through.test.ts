// Reading memory back while the gateway lags and other instances write: rebuilds merge the
// outbox, the cache and the gateway; two memories sharing one gateway see each other's turns
// once it lists them; snapshot segments make a cold load a few reads plus the tail.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createMemory, type Memory } from '../../src/memory/memory.js';
import { SNAPSHOT_FORMAT } from '../../src/memory/tags.js';
import { makeTmpDir } from '../support/tmp-dir.js';

const masterKey = new Uint8Array(32).fill(0x3c);
let minute = 0;
const turn = (userText: string) => ({ turnId: `t-${userText}`, userText, reply: `noted: ${userText.slice(0, 12)}`, at: new Date(Date.UTC(2026, 2, 1, 9, minute++)).toISOString() });

/** The gateway as one that has not indexed some items yet: they are stored, but GraphQL does not list them. */
function lagging(client: ArweaveClient) {
  const hidden = new Set<string>();
  let reads = 0;
  const view: ArweaveClient = {
    ...client,
    async query(filter) {
      const page = await client.query(filter);
      return { ...page, items: page.items.filter((item) => !hidden.has(item.id)) };
    },
    async queryAll(filter) {
      return (await client.queryAll(filter)).filter((item) => !hidden.has(item.id));
    },
    async getData(id) {
      reads += 1;
      return client.getData(id);
    },
  };
  return { view, hidden, reads: () => reads };
}

describe('memory read back beside a lagging gateway and other instances', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let gateway: LocalArweave;
  let client: ArweaveClient;
  const memories: Memory[] = [];
  const open = async (name: string, arweave: ArweaveClient, extra: Partial<Parameters<typeof createMemory>[0]> = {}) => {
    const memory = await createMemory({ arweave, masterKey, dataDir: path.join(tmp.dir, name), logger: createMemoryLogger(), outbox: { batchDelayMs: 20, maxBackoffMs: 200 }, ...extra });
    memories.push(memory);
    return memory;
  };
  const texts = async (memory: Memory, user: string) => (await memory.exportUser(user)).records.flatMap((r) => (r.kind === 'turn' ? [r.userText] : []));

  beforeAll(async () => {
    tmp = await makeTmpDir('read-through');
    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
    client = createArweaveClient({ url: gateway.url, wallet: await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')), local: true });
  });
  afterAll(async () => {
    for (const memory of memories) await memory.close().catch(() => undefined);
    await gateway?.stop();
    await tmp?.remove();
  });

  it('rebuild keeps what was sent but is not listed yet, and says how many', async () => {
    const lag = lagging(client);
    const memory = await open('lag', lag.view);
    const ids: string[] = [];
    for (const text of ['Olá, sou a Inês 🌻', 'I moved to Lisboa in March', 'my cat is called Pimenta']) ids.push(...(await memory.rememberTurn('web:ines', turn(text))));
    expect(await memory.flush(10_000)).toBe(true);
    for (const id of ids.slice(1)) lag.hidden.add(id);
    expect(await memory.rebuild('web:ines')).toEqual({ records: 3, notIndexed: 2 });
    expect(await texts(memory, 'web:ines')).toEqual(['Olá, sou a Inês 🌻', 'I moved to Lisboa in March', 'my cat is called Pimenta']);
    lag.hidden.clear();
    expect(await memory.rebuild('web:ines')).toEqual({ records: 3, notIndexed: 0 });
  });

  it('two instances on one gateway: each recalls the other\'s turns once the gateway lists them, each once', async () => {
    const lag = lagging(client);
    const a = await open('instance-a', lag.view, { refreshAfterMs: 0 });
    const b = await open('instance-b', lag.view, { refreshAfterMs: 0 });
    const user = 'telegram:4242';
    await a.rememberTurn(user, turn('Ich heiße Jonas und spiele Cello'));
    expect(await a.flush(10_000)).toBe(true);
    await b.rememberTurn(user, turn('my sister Mei lives in Osaka'));
    expect(await b.flush(10_000)).toBe(true);
    await a.rememberTurn(user, turn('what do you know about my sister?'));
    expect(await a.flush(10_000)).toBe(true);
    const expected = ['Ich heiße Jonas und spiele Cello', 'my sister Mei lives in Osaka', 'what do you know about my sister?'];
    expect(await texts(a, user)).toEqual(expected);
    expect(await texts(b, user)).toEqual(expected);
    expect((await b.recall(user, 'sister', { recent: 0, relevant: 4 })).relevant.join('\n')).toContain('Mei lives in Osaka');

    // Posted by B, not listed yet: A cannot know it; once listed, A's next turn has it.
    const [late] = await b.rememberTurn(user, turn('I start at the new job in Kyoto on Monday'));
    expect(await b.flush(10_000)).toBe(true);
    lag.hidden.add(late as string);
    expect(await texts(a, user)).toEqual(expected);
    lag.hidden.clear();
    expect(await texts(a, user)).toEqual([...expected, 'I start at the new job in Kyoto on Monday']);
  });

  it('a cold load reads the snapshot segments and the records after them, each record once, nothing plaintext', async () => {
    const writer = await open('snap-writer', client, { snapshotEvery: 5 });
    const said = Array.from({ length: 12 }, (_, i) => `turn ${i}: we talked about Zoë's bakery in Gent 🥐`);
    for (const text of said) await writer.rememberTurn('cli:zoe', turn(text));
    expect(await writer.flush(10_000)).toBe(true);
    const pseudonym = writer.crypto.pseudonym('cli:zoe');
    const segments = await client.queryAll({ tags: [{ name: 'Record-Format', values: [SNAPSHOT_FORMAT] }, { name: 'User', values: [pseudonym] }] });
    expect(segments).toHaveLength(2);
    for (const { id } of segments) expect(Buffer.from(await client.getData(id)).toString('latin1')).not.toMatch(/bakery|Gent|turn \d/);

    const lag = lagging(client);
    const cold = await open('snap-cold', lag.view);
    expect(await texts(cold, 'cli:zoe')).toEqual(said);
    // Two segments and the two records after them, not twelve records.
    expect(lag.reads()).toBe(4);

    // The writer, restarted from its cache, knows which records a segment holds: two were left
    // over, three more make five, so one more segment (of those five, not of all fifteen).
    await writer.close();
    const again = await open('snap-writer', client, { snapshotEvery: 5 });
    for (let i = 12; i < 15; i++) await again.rememberTurn('cli:zoe', turn(`turn ${i}: the bakery opens at seven`));
    expect(await again.flush(10_000)).toBe(true);
    expect(await client.queryAll({ tags: [{ name: 'Record-Format', values: [SNAPSHOT_FORMAT] }, { name: 'User', values: [pseudonym] }] })).toHaveLength(3);
    const colder = await open('snap-colder', client);
    const all = await texts(colder, 'cli:zoe');
    expect(all).toHaveLength(15);
    expect(new Set(all).size).toBe(15);
  });
});
