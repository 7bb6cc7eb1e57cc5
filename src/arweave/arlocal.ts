/**
 * arlocal started in-process: the embedded stand-in for the Arweave network. Its data folder
 * (DATA_DIR/arweave) *is* "the network" for the embedded default, so it must persist.
 */
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { UnavailableError } from '../errors.js';
import { sameSecret } from '../hash.js';
import { GATEWAY_TOKEN_HEADER, needsGatewayToken, processGatewayToken } from './gateway-token.js';

export interface LocalArweave {
  url: string;
  /** The address it is bound to: always loopback. */
  host: string;
  port: number;
  /** Ids of half-written transactions removed at start (see repairHalfWritten). */
  repaired: string[];
  stop(): Promise<void>;
}

/** The part of arlocal's knex handle used here: raw SQL on its sqlite database. */
interface SqlHandle {
  raw(sql: string, bindings?: readonly string[]): Promise<unknown>;
  /** knex's client; its pool is gone once destroy() has let the queries in flight finish. */
  client?: { pool?: unknown };
}

/** The part of koa's context the guard reads and writes. */
interface KoaContext {
  method: string;
  path: string;
  get(field: string): string;
  status: number;
  body: unknown;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<unknown>;

/** arlocal's koa app: its context holds the chain tip; `listen` is what arlocal's start() calls. */
interface KoaApp {
  context?: { network?: NetworkState };
  middleware?: unknown[];
  use(middleware: KoaMiddleware): unknown;
  callback(): http.RequestListener;
  listen(port: number, onListening?: () => void): http.Server;
}

interface ArLocalInstance {
  start(): Promise<void>;
  stop(): Promise<void>;
  getServer(): http.Server;
  connection?: SqlHandle;
  app?: KoaApp;
}
type ArLocalConstructor = new (port: number, showLogs: boolean, dbPath: string, persist: boolean) => ArLocalInstance;

const require = createRequire(import.meta.url);

/**
 * arlocal's route modules cache database handles in module variables; a second instance in the
 * same process would reuse the first one's closed handles. Each start after the first loads a
 * fresh copy of arlocal's modules. (Production starts it once per process.)
 */
function arLocalClass(fresh: boolean): ArLocalConstructor {
  if (fresh) {
    for (const key of Object.keys(require.cache)) if (key.includes(`${path.sep}node_modules${path.sep}arlocal${path.sep}`)) delete require.cache[key];
  }
  // CommonJS with `exports.default`.
  const mod = require('arlocal') as { default?: ArLocalConstructor } & ArLocalConstructor;
  return typeof mod.default === 'function' ? mod.default : mod;
}

/** Asks the OS for a free loopback port (arlocal itself cannot be given port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let starts = 0;

const LOOPBACK = '127.0.0.1';

/**
 * Makes arlocal serve on loopback only, and its state-changing routes only to this process.
 * arlocal's start() calls `this.app.listen(port)` (koa: every interface) and offers no host
 * option. Replacing `listen` on its own app instance is the narrowest hook: nothing global is
 * patched (other servers in the process keep their own listen), the port is never open on
 * another interface even for a moment (as closing arlocal's server and re-serving its app
 * would be), and it survives `npm ci` since node_modules is untouched. The guard goes in as the
 * app's first middleware, before arlocal adds GraphQL and its router in start(). Both are
 * checked after the start: if a later arlocal bypassed either hook, it is stopped, not served.
 */
function confine(app: KoaApp, token: string): KoaMiddleware {
  const guard: KoaMiddleware = async (ctx, next) => {
    if (needsGatewayToken(ctx.method, ctx.path) && !sameSecret(ctx.get(GATEWAY_TOKEN_HEADER), token)) {
      ctx.status = 403;
      ctx.body = 'Forbidden: this route of the embedded gateway is reserved to the process that runs it';
      return;
    }
    await next();
  };
  app.use(guard);
  app.listen = (port, onListening) => http.createServer(app.callback()).listen(port, LOOPBACK, onListening);
  return guard;
}

/** Rows as sqlite returns them through knex's raw(): an array of plain objects. */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return Array.isArray(result) ? result.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null) : [];
}

/** How many of the newest transactions (in insertion order) a start checks for half-writes. */
const REPAIR_WINDOW = 5_000;

/**
 * arlocal writes a transaction in several statements (data file, row, then one row per tag)
 * without a database transaction. A process killed in between leaves a row with fewer tag rows
 * than its tags: found by id, invisible to tag queries, and it refuses a re-post of the same id.
 * Such rows can only be among the last ones inserted before the crash (one per concurrent
 * writer), so the newest rows by insertion order (sqlite's rowid) are checked, not by height:
 * heights are not monotonic across restarts (see restoreChainTip). They are removed so the
 * writer's retry (the memory outbox, the AO journal) posts them whole.
 */
async function repairHalfWritten(db: SqlHandle): Promise<string[]> {
  const rows = await db.raw(
    `SELECT t.id AS id FROM transactions t
     WHERE t.rowid > (SELECT coalesce(max(rowid), 0) FROM transactions) - ${REPAIR_WINDOW}
       AND json_array_length(t.tags) != (SELECT count(*) FROM tags g WHERE g.tx_id = t.id)`,
  );
  const ids = rowsOf(rows).flatMap((row) => (typeof row.id === 'string' ? [row.id] : []));
  for (const id of ids) {
    await db.raw('DELETE FROM tags WHERE tx_id = ?', [id]);
    await db.raw('DELETE FROM transactions WHERE id = ?', [id]);
  }
  return ids;
}

interface NetworkState {
  current: string;
  height: number;
  blocks: number;
}

/**
 * arlocal resumes from the block with the latest `created_at`, a timestamp of one-second
 * resolution: with several blocks mined in that second it may resume from an older one, so new
 * transactions get lower heights than stored ones and blocks repeat heights. The tip is set
 * again from the highest block, before anything else is posted.
 */
async function restoreChainTip(db: SqlHandle, network: NetworkState | undefined): Promise<void> {
  if (!network) return;
  const [tip] = rowsOf(await db.raw('SELECT id, height FROM blocks ORDER BY height DESC, rowid DESC LIMIT 1'));
  if (!tip || typeof tip.id !== 'string' || typeof tip.height !== 'number' || tip.height < network.height) return;
  network.current = tip.id;
  network.height = tip.height;
  network.blocks = tip.height + 1;
}

export interface StartArlocalOptions {
  dataDir: string;
  port?: number;
  /** What the state-changing routes require; default: this process's token, which our clients send. */
  adminToken?: string;
}

export async function startArlocal(opts: StartArlocalOptions): Promise<LocalArweave> {
  await mkdir(opts.dataDir, { recursive: true });
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const ArLocal = arLocalClass(starts++ > 0);
  // persist=true keeps the sqlite database between starts: it is the permanent store here.
  const instance = new ArLocal(port, false, opts.dataDir, true);
  const app = instance.app;
  if (typeof app?.use !== 'function' || typeof app.callback !== 'function') {
    throw new UnavailableError('the installed arlocal has no koa app to confine to loopback; not starting it open to the network', { hint: 'reinstall the dependencies (npm ci), or set ARWEAVE_URL' });
  }
  const guard = confine(app, opts.adminToken ?? processGatewayToken);
  // arlocal appends every request to ./logs in the working directory: keep it from doing so.
  const internals = instance as unknown as { log?: { logInFile?: (args: unknown) => void } };
  if (internals.log) internals.log.logInFile = () => undefined;
  // It also prints a start line on stdout, which must stay clean for `--json` output.
  const print = console.log;
  console.log = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('arlocal started')) return;
    print(...args);
  };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const hostListeners = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    await instance.start();
    const server = instance.getServer();
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    // 'listening' listeners run on a later tick than the flag is set: let arlocal's print happen here.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    throw new UnavailableError(`could not start the embedded Arweave gateway (arlocal) on port ${port}`, {
      cause: error,
      hint: 'another process may hold the port or the data folder; stop it or set ARWEAVE_URL',
    });
  } finally {
    console.log = print;
    // arlocal's GraphQL server (Apollo) installs SIGINT/SIGTERM handlers that stop it and then
    // raise the signal again, which kills the process before the host's own shutdown has run
    // (the memory outbox's last posts, the AO log's uploads, this gateway's stop): a "clean"
    // stop became a kill mid-write. The host owns its signals; those handlers are removed.
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) if (!hostListeners.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  const server = instance.getServer();
  const bound = server.address();
  if (typeof bound !== 'object' || bound?.address !== LOOPBACK || app.middleware?.[0] !== guard) {
    await instance.stop();
    server.closeAllConnections();
    throw new UnavailableError(`the embedded Arweave gateway did not start confined (bound to ${typeof bound === 'object' ? bound?.address : bound}, guard ${app.middleware?.[0] === guard ? 'first' : 'not first'}); stopped it`, {
      hint: 'the installed arlocal starts its server differently: reinstall the dependencies (npm ci), or set ARWEAVE_URL',
    });
  }
  const repaired = instance.connection ? await repairHalfWritten(instance.connection) : [];
  if (instance.connection) await restoreChainTip(instance.connection, app.context?.network);
  // A crash between a post and its mine leaves transactions unmined, which GraphQL does not
  // list; mining once at start includes them.
  await fetch(`http://${LOOPBACK}:${port}/mine`).then((r) => r.text()).catch(() => undefined);
  let stopped = false;
  return {
    url: `http://${LOOPBACK}:${port}`,
    host: LOOPBACK,
    port,
    repaired,
    async stop() {
      if (stopped) return;
      stopped = true;
      const server = instance.getServer();
      const closed = new Promise<void>((resolve) => (server.listening ? server.once('close', () => resolve()) : resolve()));
      await instance.stop();
      // arlocal's stop() leaves keep-alive connections open to a server whose database is gone.
      server.closeAllConnections();
      await closed;
      // Its stop() also returns before its database is closed, and a request in flight goes on
      // writing until then: a start on the same folder before that could repair a transaction
      // that is then written further, or miss one left half-written. Wait until it is closed.
      const db = instance.connection;
      for (let waited = 0; db?.client?.pool !== undefined && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
