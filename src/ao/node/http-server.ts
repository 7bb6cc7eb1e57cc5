/**
 * The legacy AO HTTP contract on one loopback port: MU under /mu, SU under /su, CU under /cu. Bad input
 * answers 400/404 JSON; nothing a client sends can crash the server.
 */
import http from 'node:http';
import { z } from 'zod';
import { HttpError, InputError, describeError } from '../../errors.js';
import { sameSecret } from '../../hash.js';
import type { Logger } from '../../logger.js';
import { NotFoundError, type AoNode } from './ao-node.js';
import { encodeCursor } from './result-store.js';
import { NoAssignmentError } from './su-json.js';
import { suRoute } from './su-routes.js';

const MAX_BODY = 16 * 1024 * 1024;

const dryRunSchema = z.object({
  Id: z.string(),
  Owner: z.string(),
  Target: z.string(),
  Anchor: z.string().optional(),
  Data: z.unknown().optional(),
  Tags: z.array(z.object({ name: z.string(), value: z.string() })),
});

function readBody(req: http.IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `body larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof NoAssignmentError) return 409;
  if (error instanceof InputError) return 400;
  return 500;
}

/**
 * Every route needs `Authorization: Bearer <token>`. Loopback is not a boundary: other users
 * and programs on the machine (a web page, even, through the browser) can reach it, the CU's
 * results hold what users said, and the MU takes messages from whoever signs one.
 */
export function createAoHttpServer(deps: { node: AoNode; logger: Logger; token: string }): http.Server {
  const { node } = deps;
  const expected = `Bearer ${deps.token}`;

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!sameSecret(req.headers.authorization, expected)) {
      req.resume();
      throw new HttpError(401, 'this AO node needs its token: Authorization: Bearer <token> (printed by permachat ao-node; AO_NODE_TOKEN for permachat)');
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    const [unit, action, arg] = parts;

    if (method === 'GET' && (parts.length === 0 || (parts.length === 1 && (unit === 'mu' || unit === 'cu')))) {
      return send(res, 200, { name: 'permachat embedded AO node', address: node.address, processes: node.processIds().length });
    }
    if (unit === 'mu') {
      if (method === 'POST' && parts.length === 1) {
        if (url.searchParams.has('assign')) throw new HttpError(501, 'assignments are not supported by the embedded node');
        const body = await readBody(req);
        const { id } = await node.submit(body);
        return send(res, 200, { message: 'Processing DataItem', id });
      }
      if (action === 'monitor' && arg && (method === 'POST' || method === 'DELETE')) {
        await readBody(req);
        // The node evaluates every message as it arrives, so there is nothing to (un)monitor.
        return send(res, 200, { ok: true });
      }
    }
    if (unit === 'su' && method === 'GET') {
      const body = await suRoute(node, parts.slice(1), url.searchParams);
      if (body !== undefined) return send(res, 200, body);
    }
    if (unit === 'cu') {
      const pid = url.searchParams.get('process-id') ?? '';
      if (method === 'GET' && action === 'result' && arg && parts.length === 3) {
        if (!pid) throw new InputError('process-id is required');
        return send(res, 200, await node.result(pid, arg));
      }
      if (method === 'GET' && action === 'results' && arg && parts.length === 3) {
        const sort = url.searchParams.get('sort');
        const limit = url.searchParams.get('limit');
        const from = url.searchParams.get('from');
        const to = url.searchParams.get('to');
        const edges = (
          await node.results(arg, {
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
            sort: sort?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC',
            ...(limit && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
          })
        ).map((stored) => ({ cursor: encodeCursor(stored), node: stored.result }));
        return send(res, 200, { edges });
      }
      if (method === 'POST' && action === 'dry-run' && parts.length === 2) {
        let json: unknown;
        try {
          json = JSON.parse(new TextDecoder().decode(await readBody(req)));
        } catch (error) {
          throw new InputError('the dry-run body is not JSON', { cause: error });
        }
        const parsed = dryRunSchema.safeParse(json);
        if (!parsed.success) throw new InputError(`bad dry-run message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        return send(res, 200, await node.dryRun(pid || parsed.data.Target, parsed.data));
      }
    }
    throw new HttpError(404, `no route for ${method} ${url.pathname}`);
  }

  return http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const status = statusOf(error);
      if (status >= 500 && status !== 501) deps.logger.error(`AO node ${req.method} ${req.url}: ${describeError(error)}`);
      else deps.logger.debug(`AO node ${req.method} ${req.url}: ${status} ${describeError(error)}`);
      send(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
}
