// The AO node's message log on restart: with its journal and receipts a machine reads only the
// newest page of record ids (not every one), yet still finds records another machine added.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeyed } from '../../src/app/keyed-secrets.js';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { createMessageLog } from '../../src/ao/node/message-log.js';
import type { LogEntry } from '../../src/ao/node/types.js';
import { createMemoryLogger } from '../../src/logger.js';
import { makeTmpDir } from '../support/tmp-dir.js';

const entry = (slot: number, process = 'process-under-test'): LogEntry => ({
  v: 1, process, slot, timestamp: 1_700_000_000_000 + slot, blockHeight: 1,
  hashChain: `chain-${slot}`, item: Buffer.from(`message ${slot}`).toString('base64'),
});

describe('AO message log flush', () => {
  it('returns only once no upload is in flight, also one a timer started while it waited', async () => {
    const tmp = await makeTmpDir('message-log-flush');
    try {
      const signer = createArweaveClient({ url: 'http://127.0.0.1:9', wallet: await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')) });
      let inFlight = 0;
      const posted: string[] = [];
      // A gateway that takes 50 ms per bundle and counts the posts it is still working on.
      const slow: ArweaveClient = {
        ...signer,
        async postBundle(items) {
          inFlight++;
          await new Promise((resolve) => setTimeout(resolve, 50));
          posted.push(...items.map((item) => item.id));
          inFlight--;
          return 'bundle';
        },
      };
      const log = createMessageLog({ dataDir: tmp.dir, arweave: slow, privateMode: false, appName: 'permachat', logger: createMemoryLogger(), uploadDelayMs: 5 });
      await log.append(entry(1));
      while (inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      const flushed = log.flush();
      await log.append(entry(2)); // its timer fires while flush waits for the first upload
      await new Promise((resolve) => setTimeout(resolve, 20));
      await flushed;
      expect(inFlight).toBe(0);
      expect(posted).toHaveLength(2);
      await log.close();
    } finally {
      await tmp.remove();
    }
  });
});

describe('AO message log stop with a backlog', () => {
  it('stops within its budget, finishing the batch in flight; the rest stays in the journal', async () => {
    const tmp = await makeTmpDir('message-log-backlog');
    try {
      const signer = createArweaveClient({ url: 'http://127.0.0.1:9', wallet: await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')) });
      const posted: string[] = [];
      let release!: () => void;
      let entered!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const posting = new Promise<void>((resolve) => (entered = resolve));
      // A gateway that holds its first bundle until the test lets it go.
      const held: ArweaveClient = {
        ...signer,
        async postBundle(items) {
          entered();
          await gate;
          posted.push(...items.map((item) => item.id));
          return 'bundle';
        },
      };
      const logger = createMemoryLogger();
      let clock = 0;
      const log = createMessageLog({ dataDir: tmp.dir, arweave: held, privateMode: false, appName: 'permachat', logger, uploadDelayMs: 60_000, closeBudgetMs: 0, now: () => clock });
      for (let slot = 1; slot <= 401; slot++) await log.append(entry(slot));
      // One batch (200 records) in flight; its budget runs out meanwhile; then a stop.
      const flushing = log.flush(10);
      await posting;
      clock = 100;
      const closing = log.close();
      release();
      await Promise.all([flushing, closing]);
      // The batch in flight (200 entries of one process: one record) finished; the rest waits in the journal.
      expect(posted).toHaveLength(1);
      expect(log.waiting()).toBe(201);
      expect(logger.lines.join('\n')).toMatch(/stay in the journal at stop; the next start uploads them/);
    } finally {
      await tmp.remove();
    }
  });
});

describe('AO message log recovery', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let gateway: LocalArweave;
  let arweave: ArweaveClient;
  const calls = { query: 0, queryAll: 0, getData: 0 };
  beforeAll(async () => {
    tmp = await makeTmpDir('message-log');
    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
    const client = createArweaveClient({ url: gateway.url, wallet: await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')), local: true });
    // Counts what a recovery asks of the gateway.
    arweave = {
      ...client,
      query: (filter) => (calls.query++, client.query(filter)),
      queryAll: (filter) => (calls.queryAll++, client.queryAll(filter)),
      getData: (id) => (calls.getData++, client.getData(id)),
    };
  });
  afterAll(async () => {
    await gateway?.stop();
    await tmp?.remove();
  });

  it('reads only the newest records on restart, and finds those another machine added', { timeout: 120_000 }, async () => {
    const keyed = await deriveKeyed(new Uint8Array(32).fill(5));
    const open = (dir: string) => createMessageLog({
      dataDir: path.join(tmp.dir, dir), arweave, privateMode: true, cipher: keyed.cipher, pseudonym: keyed.processPseudonym,
      appName: 'permachat', logger: createMemoryLogger(), uploadDelayMs: 10,
    });
    const recover = async (dir: string) => {
      Object.assign(calls, { query: 0, queryAll: 0, getData: 0 });
      const log = open(dir);
      const entries = await log.recover();
      return { log, slots: entries.map((e) => e.slot), calls: { ...calls } };
    };

    // Machine A writes 250 records (three pages of ids). A record holds what one process logged in
    // one upload batch, so each entry here is another process's (sorted as the slots are).
    const own = (slot: number) => entry(slot, `process-${String(slot).padStart(3, '0')}`);
    const a = open('a');
    for (let slot = 0; slot < 250; slot++) await a.append(own(slot));
    await a.close();

    const again = await recover('a');
    expect(again.slots).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(again.calls).toEqual({ query: 1, queryAll: 0, getData: 0 });
    await again.log.close();

    // Machine B has only Arweave: it lists and reads everything, then adds slots 250–259.
    const b = await recover('b');
    expect(b.slots).toHaveLength(250);
    expect(b.calls.queryAll).toBe(1);
    expect(b.calls.getData).toBe(250);
    for (let slot = 250; slot < 260; slot++) await b.log.append(own(slot));
    await b.log.close();
    // B keeps what it read: its next start is the short one too.
    const bAgain = await recover('b');
    expect(bAgain.slots).toHaveLength(260);
    expect(bAgain.calls).toEqual({ query: 1, queryAll: 0, getData: 0 });
    await bAgain.log.close();

    // A finds B's records among the newest, reads only those, and keeps them.
    const back = await recover('a');
    expect(back.slots).toEqual(Array.from({ length: 260 }, (_, i) => i));
    expect(back.calls.queryAll).toBe(0);
    expect(back.calls.getData).toBe(10);
    await back.log.close();
    const last = await recover('a');
    expect(last.slots).toHaveLength(260);
    expect(last.calls).toEqual({ query: 1, queryAll: 0, getData: 0 });
    await last.log.close();
  });

  it('writes what one process logged in a batch as one record, and a new machine reads every entry of it', { timeout: 60_000 }, async () => {
    const keyed = await deriveKeyed(new Uint8Array(32).fill(6));
    const open = (dir: string) => createMessageLog({
      dataDir: path.join(tmp.dir, dir), arweave, privateMode: true, cipher: keyed.cipher, pseudonym: keyed.processPseudonym,
      appName: 'permachat-batched', logger: createMemoryLogger(), uploadDelayMs: 60_000,
    });
    const writer = open('batched-writer');
    for (let slot = 0; slot < 30; slot++) await writer.append(entry(slot, 'batched-process'));
    await writer.append(entry(0, 'other-process'));
    await writer.close();
    expect(writer.recordIds()).toHaveLength(2);
    Object.assign(calls, { query: 0, queryAll: 0, getData: 0 });
    const reader = open('batched-reader');
    const entries = await reader.recover();
    expect(entries.filter((e) => e.process === 'batched-process').map((e) => e.slot)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(entries.filter((e) => e.process === 'other-process')).toHaveLength(1);
    expect(calls.getData).toBe(2);
    await reader.close();
  });
});
