// The embedded gateway is the permanent store of the memory: nobody but this process may wipe
// it, mint into it or delete from it, and nothing outside this machine may reach it at all.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient } from '../../src/arweave/client.js';
import { needsGatewayToken } from '../../src/arweave/gateway-token.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { RemoteRefusedError } from '../../src/errors.js';
import { makeTmpDir } from '../support/tmp-dir.js';

/** An address of this machine other than loopback (IPv4 first; IPv6 link-local needs a scope, so not those). */
function nonLoopbackAddress(): string | undefined {
  const all = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []).filter((entry) => !entry.internal);
  return all.find((entry) => entry.family === 'IPv4')?.address ?? all.find((entry) => entry.family === 'IPv6' && !entry.address.startsWith('fe80'))?.address;
}

/** 'connected', or the error code a TCP connection attempt ends with. */
function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('embedded Arweave gateway: loopback only, state-changing routes need this process\'s token', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let gateway: LocalArweave;
  let client: ArweaveClient;
  const bytes = (text: string) => new TextEncoder().encode(text);

  beforeAll(async () => {
    tmp = await makeTmpDir('arweave-exposure');
    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
    client = createArweaveClient({ url: gateway.url, wallet: await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json')), local: true });
  });
  afterAll(async () => {
    await gateway?.stop();
    await tmp?.remove();
  });

  it('is bound to 127.0.0.1 and refuses connections on this machine\'s other addresses', async () => {
    const outside = nonLoopbackAddress();
    if (outside !== undefined) expect(await connectOutcome(outside, gateway.port)).toBe('ECONNREFUSED');
    expect(gateway.host).toBe('127.0.0.1');
    expect((await fetch(`${gateway.url}/info`)).ok).toBe(true);
  });

  it('refuses /reset, /mint, DELETE /tx and the other admin routes without the token; the data stays', async () => {
    const id = await client.post(bytes('still here'), [{ name: 'Test-Kind', value: 'guarded' }]);
    const stranger = randomBytes(32).toString('base64url');
    const balance = async () => (await fetch(`${gateway.url}/wallet/${stranger}/balance`)).text();
    const before = await balance();
    const json = { 'content-type': 'application/json' };
    const attempts: Array<[string, string, RequestInit?]> = [
      ['GET', '/reset'],
      ['GET', '/RESET/'],
      ['GET', `/mint/${stranger}/1000`],
      ['DELETE', `/tx/${id}`],
      ['PATCH', `/wallet/${stranger}/balance`, { headers: json, body: JSON.stringify({ balance: 1000 }) }],
      ['POST', '/wallet', { headers: json, body: JSON.stringify({ address: stranger, balance: 1000 }) }],
      ['GET', '/mine/2'],
      ['GET', '/logs'],
    ];
    for (const [method, route, init] of attempts) {
      const plain = await fetch(`${gateway.url}${route}`, { method, ...init });
      expect(plain.status, `${method} ${route}`).toBe(403);
      const forged = await fetch(`${gateway.url}${route}`, { method, ...init, headers: { ...init?.headers, 'x-permachat-gateway-token': 'guessed' } });
      expect(forged.status, `${method} ${route} with a wrong token`).toBe(403);
    }
    expect(await balance()).toBe(before);
    expect(new TextDecoder().decode(await client.getData(id))).toBe('still here');
    expect((await client.query({ tags: [{ name: 'Test-Kind', values: ['guarded'] }] })).items.map((item) => item.id)).toEqual([id]);
  });

  it('decides which requests need the token the way arlocal\'s router matches them (any case, trailing slash, escapes)', () => {
    const guarded: Array<[string, string]> = [['HEAD', '/reset'], ['GET', '//Reset/'], ['GET', '/%72eset'], ['GET', '/MINT/x/1'], ['GET', '/mineWithFails/3'], ['PUT', '/tx'], ['POST', '/wallet'], ['POST', '/tx/extra']];
    const open: Array<[string, string]> = [['GET', '/info'], ['GET', '/mine'], ['GET', '/mine/'], ['POST', '/tx'], ['POST', '/TX/'], ['POST', '/chunk'], ['POST', '/graphql'], ['GET', '/graphql'], ['OPTIONS', '/reset'], ['GET', '/tx/abc/data']];
    for (const [method, route] of guarded) expect(needsGatewayToken(method, route), `${method} ${route}`).toBe(true);
    for (const [method, route] of open) expect(needsGatewayToken(method, route), `${method} ${route}`).toBe(false);
  });

  it('keeps what our own code uses open or working: posting, mining, GraphQL, minting with the token', async () => {
    expect((await fetch(`${gateway.url}/mine`)).status).toBe(200);
    // A fresh wallet has to be minted for before it can post: the client sends the token.
    const fresh = createArweaveClient({ url: gateway.url, wallet: await loadOrCreateWallet(path.join(tmp.dir, 'fresh-wallet.json')), local: true });
    const id = await fresh.post(bytes('from a fresh wallet'), [{ name: 'Test-Kind', value: 'fresh' }]);
    expect((await fresh.query({ tags: [{ name: 'Test-Kind', values: ['fresh'] }] })).items.map((item) => item.id)).toEqual([id]);
    // The same client with another token is refused at the mint, with a hint.
    const impostor = createArweaveClient({ url: gateway.url, wallet: await loadOrCreateWallet(path.join(tmp.dir, 'impostor-wallet.json')), local: true, adminToken: 'not-this-process' });
    const failure = await impostor.post(bytes('nope'), []).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteRefusedError);
    expect((failure as RemoteRefusedError).status).toBe(403);
    expect((failure as RemoteRefusedError).hint).toMatch(/ARWEAVE_URL/);
  });
});
