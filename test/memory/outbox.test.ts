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
    const held = outbox.add(first, () => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
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
});
