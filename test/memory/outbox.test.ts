import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArweaveClient, SignedItem } from '../../src/arweave/client.js';
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

const item = (id: string): SignedItem => ({ id, raw: new Uint8Array([1, 2, 3]) });

describe('memory outbox', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('outbox');
  });
  afterAll(async () => tmp?.remove());

  it('holds an item until what its caller writes beside it is done, and lists what is pending', async () => {
    const posted: string[] = [];
    const outbox = await createOutbox({ dir: path.join(tmp.dir, 'a'), arweave: recordingArweave(posted), logger: createMemoryLogger(), batchDelayMs: 0 });
    let finish = () => undefined as void;
    const held = outbox.add(item('held-item'), () => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await outbox.pendingItems()).map((i) => i.id)).toEqual(['held-item']);
    await outbox.add(item('other-item'));
    expect(await outbox.flush(100)).toBe(false);
    expect(posted).toEqual(['other-item']);
    finish();
    await held;
    expect(await outbox.flush(5_000)).toBe(true);
    expect(posted).toEqual(['other-item', 'held-item']);
    expect(await outbox.pendingItems()).toEqual([]);
    await outbox.close();
  });
});
