import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient, type SignedItem } from '../../src/arweave/client.js';
import { turboUploader, withUploader } from '../../src/arweave/uploader.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { RemoteRefusedError, UnreachableError } from '../../src/errors.js';
import { startTurboStub, type TurboStub } from '../support/turbo-stub.js';
import { makeTmpDir } from '../support/tmp-dir.js';

// The Turbo uploader against a stand-in of the upload service: what it accepts, how a refusal
// reads (its reason), and that nothing is stored twice when a batch is retried.
describe('Turbo uploader', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let signer: ArweaveClient;
  let stub: TurboStub;
  const forwarded: string[] = [];

  beforeAll(async () => {
    tmp = await makeTmpDir('turbo');
    // Signing needs no gateway; the stand-in forwards into this recorder instead of one.
    signer = createArweaveClient({ url: 'http://127.0.0.1:9', wallet: await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')) });
    const recorder = { ...signer, postBundle: async (items: SignedItem[]) => (forwarded.push(...items.map((item) => item.id)), 'bundle') };
    stub = await startTurboStub(recorder);
  });
  afterAll(async () => {
    await stub?.close();
    await tmp?.remove();
  });

  const items = (n: number, prefix: string) => Promise.all(Array.from({ length: n }, (_, i) => signer.signItem(new TextEncoder().encode(`${prefix} ${i}`), [{ name: 'Type', value: 'Test' }])));

  it('posts each signed item once, and a retried batch only what is missing', async () => {
    const uploader = turboUploader({ url: stub.url });
    const batch = await items(6, 'first');
    await uploader.upload(batch);
    expect([...stub.stored.keys()].sort()).toEqual(batch.map((item) => item.id).sort());
    await uploader.upload(batch);
    expect(stub.duplicates).toBe(0);
    // Another process (after a crash) posts them again: the service keeps one of each.
    await turboUploader({ url: stub.url }).upload(batch);
    expect(stub.duplicates).toBe(6);
    expect(forwarded.filter((id) => batch.some((item) => item.id === id))).toHaveLength(6);
  });

  it('says why the service refused: unpaid, too large, a bad signature', async () => {
    const uploader = turboUploader({ url: stub.url });
    const [item] = await items(1, 'refused');
    for (const [status, reason] of [[402, /unpaid/], [413, /too large/], [400, /signature does not verify/]] as const) {
      stub.mode = { status, body: 'no' };
      const failure = await uploader.upload([item!]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RemoteRefusedError);
      expect(String(failure)).toMatch(reason);
    }
    stub.mode = 'up';
    const tampered = { id: item!.id, raw: Uint8Array.from(item!.raw, (byte, index) => (index === item!.raw.length - 1 ? byte ^ 1 : byte)) };
    await expect(uploader.upload([tampered])).rejects.toThrow(/signature does not verify/);
  });

  it('says when the service cannot be reached, apart from a refusal', async () => {
    const uploader = turboUploader({ url: `http://127.0.0.1:${await freePort()}` });
    await expect(uploader.upload(await items(1, 'nowhere'))).rejects.toBeInstanceOf(UnreachableError);
    stub.mode = 'down';
    await expect(turboUploader({ url: stub.url }).upload(await items(1, 'down'))).rejects.toThrow(/503/);
    stub.mode = 'up';
  });

  it('routes a client\'s writes through it, reads stay with the gateway', async () => {
    const through = withUploader(signer, turboUploader({ url: stub.url }));
    const id = await through.post(new TextEncoder().encode('a module'), [{ name: 'Type', value: 'Module' }]);
    expect(stub.stored.get(id)).toBe(1);
    expect(through.url).toBe(signer.url);
  });
});
