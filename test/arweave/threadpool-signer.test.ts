import { createHash } from 'node:crypto';
import path from 'node:path';
import { DataItem, createData } from '@dha-team/arbundles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadpoolSigner } from '../../src/arweave/threadpool-signer.js';
import { loadOrCreateWallet, walletAddress, type JWKInterface } from '../../src/arweave/wallet.js';
import { makeTmpDir } from '../support/tmp-dir.js';

// Items signed off the event loop are ordinary ANS-104 items of the wallet: they verify, and
// their owner is the wallet's address.
describe('thread-pool item signer', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let wallet: JWKInterface;
  beforeAll(async () => {
    tmp = await makeTmpDir('signer');
    wallet = await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json'));
  });
  afterAll(async () => tmp?.remove());

  it('signs items that verify as the wallet\'s, many at once', async () => {
    const signer = threadpoolSigner(wallet);
    const items = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const item = createData(`record ${i} ✓`, signer, { tags: [{ name: 'Type', value: 'Test' }] });
        await item.sign(signer);
        return new DataItem(item.getRaw());
      }),
    );
    const address = await walletAddress(wallet);
    for (const item of items) {
      expect(await DataItem.verify(item.getRaw())).toBe(true);
      expect(await item.isValid()).toBe(true);
      expect(createHash('sha256').update(item.rawOwner).digest('base64url')).toBe(address);
    }
    expect(new Set(items.map((item) => item.id)).size).toBe(8);
  });
});
