import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArweaveClient, type ArweaveClient, type SignedItem } from '../../src/arweave/client.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createOutbox } from '../../src/memory/outbox.js';
import { makeTmpDir } from '../support/tmp-dir.js';

/** Records what is posted; nothing is on "Arweave" before it is posted. */
function recordingArweave(posted: string[]): ArweaveClient {
  const unused = () => Promise.reject(new Error('not used by the outbox'));
  return {
    url: 'http://127.0.0.1:1', address: unused, post: unused, signItem: unused, queryAll: unused, getData: unused, mine: async () => undefined,
    async query(filter) {
      return { items: (filter.ids ?? []).filter((id) => posted.includes(id)).map((id) => ({ id, tags: [], cursor: id })), hasNextPage: false };
    },
    async postBundle(items) {
      posted.push(...items.map((item) => item.id));
      return 'bundle';
    },
  };
}

describe('memory outbox', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let item: (text: string) => Promise<SignedItem>;
  beforeAll(async () => {
    tmp = await makeTmpDir('outbox');
    // Signing is local: the client never reaches its (closed) gateway here.
    const signer = createArweaveClient({ url: 'http://127.0.0.1:9', wallet: await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')) });
    item = (text) => signer.signItem(new TextEncoder().encode(text), [{ name: 'Test', value: text }]);
  });
  afterAll(async () => tmp?.remove());

  it('holds an item until what its caller writes beside it is done, and lists what is pending', async () => {
    const posted: string[] = [];
    const outbox = await createOutbox({ dir: path.join(tmp.dir, 'a'), arweave: recordingArweave(posted), logger: createMemoryLogger(), batchDelayMs: 0 });
    const [first, second] = [await item('held'), await item('other')];
    let finish = () => undefined as void;
    let reached = () => undefined as void;
    // The caller's step runs once the item is durable: wait for it, not for a guessed time.
    const durable = new Promise<void>((resolve) => (reached = resolve));
    const held = outbox.add(first, () => {
      reached();
      return new Promise<void>((resolve) => (finish = resolve));
    });
    await durable;
    expect((await outbox.pendingItems()).map((i) => i.id)).toEqual([first.id]);
    await outbox.add(second);
    for (let waited = 0; posted.length === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(posted).toEqual([second.id]);
    expect(await outbox.flush(200)).toBe(false);
    expect(posted).toEqual([second.id]);
    finish();
    await held;
    expect(await outbox.flush(5_000)).toBe(true);
    expect(posted).toEqual([second.id, first.id]);
    expect(await outbox.pendingItems()).toEqual([]);
    await outbox.close();
  });

  it('deletes a sent item only after beforeRemoving succeeded, and sends it once', async () => {
    const posted: string[] = [];
    const dir = path.join(tmp.dir, 'b');
    const seen: string[][] = [];
    let failures = 1;
    const outbox = await createOutbox({
      dir, arweave: recordingArweave(posted), logger: createMemoryLogger(), batchDelayMs: 0, maxBackoffMs: 50,
      async beforeRemoving() {
        // The bundle is on Arweave and its file still here when this runs.
        seen.push([...posted, ...(await readdir(dir)).filter((f) => f.endsWith('.item'))]);
        if (failures-- > 0) throw new Error('disk full');
      },
    });
    const sent = await item('synced');
    await outbox.add(sent);
    expect(await outbox.flush(5_000)).toBe(true);
    expect(seen).toHaveLength(2);
    for (const view of seen) expect(view).toEqual([sent.id, expect.stringContaining(sent.id)]);
    expect(posted).toEqual([sent.id]);
    expect(outbox.stats()).toMatchObject({ posted: 1, failures: 1 });
    await outbox.close();
  });

  it('hands what an earlier run left to adopt before sending any of it', async () => {
    const dir = path.join(tmp.dir, 'c');
    const unreachable = { ...recordingArweave([]), postBundle: () => Promise.reject(new Error('offline')) };
    const first = await createOutbox({ dir, arweave: unreachable, logger: createMemoryLogger(), batchDelayMs: 3_600_000 });
    const left = [await item('left one'), await item('left two')];
    for (const one of left) await first.add(one);
    await first.close();

    const posted: string[] = [];
    let postedWhenAdopted: string[] | undefined;
    const adopted: string[] = [];
    const second = await createOutbox({
      dir, arweave: recordingArweave(posted), logger: createMemoryLogger(), batchDelayMs: 0,
      async adopt(items) {
        adopted.push(...items.map((one) => one.id));
        await new Promise((resolve) => setTimeout(resolve, 50)); // the drainer must not start meanwhile
        postedWhenAdopted = [...posted];
      },
    });
    expect(adopted).toEqual(left.map((one) => one.id));
    expect(postedWhenAdopted).toEqual([]);
    expect(await second.flush(5_000)).toBe(true);
    expect(posted).toEqual(left.map((one) => one.id));
    await second.close();
  });
});
