/**
 * A stand-in for the Turbo upload service on 127.0.0.1: `POST /v1/tx/arweave` takes a signed
 * ANS-104 item, verifies it, forwards it into a gateway (as a bundle, so it can be read back
 * there), and answers its id, as Turbo does. An item it already holds is answered 202 and not
 * stored again. `down` answers 503 (the service failing); a status answers that (a refusal);
 * `stop` closes its port (an outage: nothing answers) until `restart` opens the same port again.
 */
import http from 'node:http';
import { DataItem } from '@dha-team/arbundles';
import type { ArweaveClient } from '../../src/arweave/client.js';

export interface TurboStub {
  url: string;
  /** How many times each id was stored (forwarded to the gateway). */
  stored: Map<string, number>;
  /** Posts answered 202 because the id was held already. */
  duplicates: number;
  mode: 'up' | 'down' | { status: number; body: string };
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startTurboStub(gateway: ArweaveClient): Promise<TurboStub> {
  const stub: Omit<TurboStub, 'url' | 'close' | 'stop' | 'restart'> = { stored: new Map(), duplicates: 0, mode: 'up' };
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json' });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v1/tx/arweave') return answer(404, 'Not Found');
      if (stub.mode === 'down') return answer(503, 'Service Unavailable');
      if (typeof stub.mode === 'object') return answer(stub.mode.status, stub.mode.body);
      let item: DataItem;
      try {
        item = new DataItem(body);
        if (!(await item.isValid())) throw new Error('invalid');
      } catch {
        return answer(400, 'Invalid Data Item!');
      }
      const receipt = { id: item.id, owner: item.owner, winc: '0', dataCaches: ['stand-in'], fastFinalityIndexes: [] };
      if (stub.stored.has(item.id)) {
        stub.duplicates++;
        return answer(202, receipt);
      }
      // Held from here on: a second post of it while this one is forwarded is a duplicate.
      stub.stored.set(item.id, 0);
      try {
        await gateway.postBundle([{ id: item.id, raw: new Uint8Array(body) }]);
      } catch (error) {
        stub.stored.delete(item.id);
        throw error;
      }
      stub.stored.set(item.id, (stub.stored.get(item.id) ?? 0) + 1);
      answer(200, receipt);
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return Object.assign(stub, {
    url: `http://127.0.0.1:${port}`,
    stop,
    restart: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: stop,
  });
}
