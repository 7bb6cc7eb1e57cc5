// The in-process Arweave that `permachat eval memory` writes through: what is posted can be found by tag and read back.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessArweave } from '../../src/arweave/in-process.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createMemory } from '../../src/memory/memory.js';
import { makeTmpDir } from '../support/tmp-dir.js';

describe('in-process Arweave', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('in-process');
  });
  afterAll(async () => tmp?.remove());

  it('holds posted bundles for tag queries (paged) and reads; a fresh memory rebuilds a user from it', async () => {
    const arweave = createInProcessArweave(await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')));
    const items = await Promise.all(['a', 'b', 'c'].map((v) => arweave.signItem(new TextEncoder().encode(v), [{ name: 'Kind', value: v === 'c' ? 'other' : 'test' }])));
    await arweave.postBundle(items);
    expect(arweave.size).toBe(3);
    const found = await arweave.queryAll({ tags: [{ name: 'Kind', values: ['test'] }], first: 1 });
    expect(found.map((f) => f.id)).toEqual([items[0]?.id, items[1]?.id]);
    expect(new TextDecoder().decode(await arweave.getData(items[1]?.id ?? ''))).toBe('b');
    await expect(arweave.getData('missing')).rejects.toThrow(/404/);

    const masterKey = new Uint8Array(32).fill(4);
    const writer = await createMemory({ arweave, masterKey, dataDir: path.join(tmp.dir, 'one'), logger: createMemoryLogger(), outbox: { batchDelayMs: 0 } });
    await writer.rememberTurn('eval:x', { turnId: 't1', userText: 'my dog is called Pip', reply: 'Hello Pip!', at: '2024-01-01T00:00:00.000Z' });
    await writer.close();
    const reader = await createMemory({ arweave, masterKey, dataDir: path.join(tmp.dir, 'two'), logger: createMemoryLogger() });
    expect((await reader.exportUser('eval:x')).records.map((r) => (r.kind === 'turn' ? r.userText : r.kind))).toEqual(['my dog is called Pip']);
    await reader.close();
  });
});
