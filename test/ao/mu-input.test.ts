import { ArweaveSigner, createData } from '@dha-team/arbundles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { createFixture, type Fixture } from './node-fixture.js';

describe('embedded AO node: what the MU refuses', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  const target = 'x'.repeat(43);

  beforeAll(async () => {
    fx = await createFixture('ao-mu');
    node = await fx.startNode('node');
  });
  afterAll(async () => {
    await fx?.remove();
  });

  const auth = () => ({ authorization: `Bearer ${node.token}` });
  const post = (body: Uint8Array) => fetch(node.muUrl, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...auth() }, body });

  async function signedMessage(): Promise<Uint8Array> {
    const signer = new ArweaveSigner(fx.userWallet);
    const item = createData('hello', signer, { target, tags: [{ name: 'Type', value: 'Message' }, { name: 'Data-Protocol', value: 'ao' }] });
    await item.sign(signer);
    return new Uint8Array(item.getRaw());
  }

  it('refuses a tampered data item with 400 and a JSON error', async () => {
    const raw = await signedMessage();
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 0x01;
    const response = await post(raw);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/signature/);
  });

  it('refuses an unsigned data item with 400', async () => {
    const signer = new ArweaveSigner(fx.userWallet);
    const item = createData('hello', signer, { target, tags: [{ name: 'Type', value: 'Message' }] });
    const response = await post(new Uint8Array(item.getRaw()));
    expect(response.status).toBe(400);
  });

  it('refuses bytes that are no data item, and a message to an unknown process', async () => {
    expect((await post(new TextEncoder().encode('not a data item'))).status).toBe(400);
    const response = await post(await signedMessage());
    expect([response.status, await response.clone().text()]).toEqual([404, expect.any(String)]);
    expect(((await response.json()) as { error: string }).error).toMatch(/not on this node/);
  });

  it('refuses a spawn whose module is not on Arweave', async () => {
    const signer = new ArweaveSigner(fx.userWallet);
    const item = createData(' ', signer, { tags: [{ name: 'Type', value: 'Process' }, { name: 'Module', value: 'm'.repeat(43) }] });
    await item.sign(signer);
    const response = await post(new Uint8Array(item.getRaw()));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/cannot load module/);
  });

  it('accepts monitor calls and says plainly that assignments are not supported', async () => {
    for (const method of ['POST', 'DELETE']) {
      const response = await fetch(`${node.muUrl}/monitor/${target}`, { method, headers: auth(), body: await signedMessage() });
      expect(response.status).toBe(200);
    }
    const assign = await fetch(`${node.muUrl}?process-id=${target}&assign=${target}`, { method: 'POST', headers: auth() });
    expect(assign.status).toBe(501);
    expect(((await assign.json()) as { error: string }).error).toMatch(/assignments/);
  });

  it('answers unknown routes and unknown processes with JSON 404s', async () => {
    const base = node.cuUrl.replace(/\/cu$/, '');
    expect((await fetch(`${base}/nothing`, { headers: auth() })).status).toBe(404);
    expect((await fetch(`${node.cuUrl}/result/abc?process-id=def`, { headers: auth() })).status).toBe(404);
    const dry = await fetch(`${node.cuUrl}/dry-run?process-id=def`, { method: 'POST', headers: auth(), body: '{bad json' });
    expect(dry.status).toBe(400);
  });
});
