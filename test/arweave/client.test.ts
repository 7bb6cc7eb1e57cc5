import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal, freePort, type LocalArweave } from '../../src/arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { RemoteRefusedError, UnreachableError } from '../../src/errors.js';
import { makeTmpDir } from '../support/tmp-dir.js';

describe('Arweave client against arlocal', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let gateway: LocalArweave;
  let client: ArweaveClient;
  const bytes = (text: string) => new TextEncoder().encode(text);

  beforeAll(async () => {
    tmp = await makeTmpDir('arweave');
    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
    const wallet = await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json'));
    client = createArweaveClient({ url: gateway.url, wallet, local: true });
  });
  afterAll(async () => {
    await gateway?.stop();
    await tmp?.remove();
  });

  it('posts a transaction, finds it by tag and reads its data back', async () => {
    const id = await client.post(bytes('hello arweave'), [{ name: 'Test-Kind', value: 'single' }]);
    const found = await client.query({ tags: [{ name: 'Test-Kind', values: ['single'] }] });
    expect(found.items.map((item) => item.id)).toContain(id);
    expect(new TextDecoder().decode(await client.getData(id))).toBe('hello arweave');
  });

  it('posts a bundle whose items are found individually with their fixed ids', async () => {
    const items = await Promise.all(
      ['one', 'two', 'three'].map((text, index) => client.signItem(bytes(text), [{ name: 'Test-Bundle', value: 'b1' }, { name: 'Seq', value: String(index) }])),
    );
    await client.postBundle(items);
    const all = await client.queryAll({ tags: [{ name: 'Test-Bundle', values: ['b1'] }], first: 2 });
    expect(all.map((item) => item.id).sort()).toEqual(items.map((item) => item.id).sort());
    const second = items[1];
    expect(second).toBeDefined();
    expect(new TextDecoder().decode(await client.getData(second!.id))).toBe('two');
  });

  it('posts data larger than one chunk (256 KiB), alone and in a bundle', async () => {
    const big = new Uint8Array(700_000).map((_, i) => i % 251);
    const id = await client.post(big, [{ name: 'Test-Kind', value: 'big' }]);
    expect(Buffer.compare(Buffer.from(await client.getData(id)), Buffer.from(big))).toBe(0);
    const items = await Promise.all([1, 2, 3].map((n) => client.signItem(big.subarray(0, 200_000 + n), [{ name: 'Test-Bundle', value: 'big' }])));
    await client.postBundle(items);
    const found = await client.queryAll({ tags: [{ name: 'Test-Bundle', values: ['big'] }] });
    expect(found).toHaveLength(3);
    expect((await client.getData(items[2]!.id)).length).toBe(200_003);
  });

  it('says the gateway refused when it answers an error', async () => {
    await expect(client.getData('x'.repeat(43))).rejects.toBeInstanceOf(RemoteRefusedError);
  });

  it('says the gateway is unreachable when nothing listens', async () => {
    const wallet = await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json'));
    const down = createArweaveClient({ url: `http://127.0.0.1:${await freePort()}`, wallet, local: true });
    await expect(down.query({ tags: [] })).rejects.toBeInstanceOf(UnreachableError);
  });
});
