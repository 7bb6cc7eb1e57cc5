/**
 * The web channel on node:http: listens on HOST:PORT and hands each request to the Hono app
 * (app.ts), which holds the routes. This file only starts and stops the server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { describeError } from '../../errors.js';
import { createWebApp, type WebAppDeps } from './app.js';

export { userIdOf } from './session.js';

export interface WebServerDeps extends WebAppDeps {
  host: string;
  port: number;
}

export function createWebServer(deps: WebServerDeps) {
  const app = createWebApp(deps);
  const log = deps.logger;
  const listener = getRequestListener(app.fetch, {
    // Web Request/Response stay the platform's: this process also runs fetch clients (AO, Arweave).
    overrideGlobalObjects: false,
    errorHandler: (error) => {
      log.error(`web: the request could not be read: ${describeError(error)}`);
      return new Response(null, { status: 400 });
    },
  });
  let server: http.Server | undefined;

  return {
    async start(): Promise<{ url: string; port: number }> {
      const started = http.createServer((req, res) => void listener(req, res));
      server = started;
      started.requestTimeout = 120_000;
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.listen(deps.port, deps.host, () => resolve());
      });
      const { port } = started.address() as AddressInfo;
      const url = `http://${deps.host.includes(':') ? `[${deps.host}]` : deps.host}:${port}`;
      log.info(`web: widget and API on ${url}`);
      return { url, port };
    },
    async stop(): Promise<void> {
      const s = server;
      if (!s) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
