/**
 * Starts the embedded AO node on 127.0.0.1: one port, MU at /mu, SU at /su, CU at /cu. aoconnect's
 * GATEWAY_URL is the Arweave gateway itself (arlocal): spawn looks modules up by GraphQL there.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { ArweaveClient } from '../../arweave/client.js';
import { describeError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { createItemSigner, type ItemSigner } from './data-item.js';
import { createAoNode, type AoNode, type EvalTiming } from './ao-node.js';
import { createAoHttpServer } from './http-server.js';
import type { PublishOptions } from './module-store.js';
import type { AoNodeDeps } from './types.js';

export interface StartedAoNode {
  muUrl: string;
  cuUrl: string;
  /** The legacy SU routes (su-routes.ts), named by the node's Scheduler-Location record when announced. */
  suUrl: string;
  /** Id of the Scheduler-Location record posted at start (announce), else undefined. */
  schedulerLocation: string | undefined;
  gatewayUrl: string;
  port: number;
  /** The node's wallet address: the Scheduler (and Authority) to name when spawning here. */
  scheduler: string;
  /** What clients send as `Authorization: Bearer <token>`. */
  token: string;
  node: AoNode;
  publishModule(name: string, bytes: Uint8Array, opts?: PublishOptions): Promise<string>;
  stop(): Promise<void>;
}

/** Arweave block height for the SU's Block-Height, read at most every 2 s. */
function heightReader(arweave: ArweaveClient): () => Promise<number> {
  let cached = { at: 0, height: 0 };
  return async () => {
    if (Date.now() - cached.at < 2000) return cached.height;
    // A failed read keeps the last height for the next 2 s too: one slow gateway, not one per message.
    cached = { at: Date.now(), height: cached.height };
    const response = await fetch(`${arweave.url}/info`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { height?: unknown };
    if (typeof body.height === 'number') cached = { at: Date.now(), height: body.height };
    return cached.height;
  };
}

/** How long a Scheduler-Location record holds (ms): a node that stops is forgotten within it. */
const LOCATION_TTL_MS = 3_600_000;

/**
 * Posts the Scheduler-Location record a compute unit looks up (by the scheduler's address, the
 * processes' Scheduler tag) to find where to read their schedules. Signed by the node's wallet.
 */
async function announce(arweave: ArweaveClient, signer: ItemSigner, suUrl: string): Promise<string> {
  const record = await signer.sign({
    data: ' ',
    tags: [
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'Variant', value: 'ao.TN.1' },
      { name: 'Type', value: 'Scheduler-Location' },
      { name: 'Url', value: suUrl },
      { name: 'Time-To-Live', value: String(LOCATION_TTL_MS) },
    ],
  });
  await arweave.postBundle([{ id: record.id, raw: record.raw }]);
  return record.id;
}

/**
 * `token`: what clients must present; a random one (this process only) when not given.
 * `announce`: post a Scheduler-Location record naming this node's SU URL. Only for a gateway
 * that readers of this machine share (the embedded one): a loopback URL means nothing elsewhere.
 */
export async function startAoNode(deps: AoNodeDeps & { port?: number; token?: string; announce?: boolean; onEvaluated?: (timing: EvalTiming) => void }): Promise<StartedAoNode> {
  const logger = deps.logger ?? createLogger({ level: 'warn' });
  const node = createAoNode({ ...deps, logger, blockHeight: heightReader(deps.arweave) });
  await node.start();
  const token = deps.token ?? randomBytes(32).toString('base64url');
  const server: http.Server = createAoHttpServer({ node, logger, token });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  let stopped = false;
  let schedulerLocation: string | undefined;
  try {
    if (deps.announce) schedulerLocation = await announce(deps.arweave, createItemSigner(deps.wallet), `${base}/su`);
  } catch (error) {
    // Only readers of the schedule need it; the node works without. Say so, once.
    logger.warn(`AO node: the Scheduler-Location record could not be posted: ${describeError(error)}`);
  }
  return {
    muUrl: `${base}/mu`,
    cuUrl: `${base}/cu`,
    suUrl: `${base}/su`,
    schedulerLocation,
    gatewayUrl: deps.arweave.url,
    port,
    scheduler: node.address,
    token,
    node,
    publishModule: (name, bytes, opts) => node.publishModule(name, bytes, opts),
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await node.stop();
    },
  };
}
