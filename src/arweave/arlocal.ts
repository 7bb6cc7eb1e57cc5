/**
 * arlocal started in-process: the embedded stand-in for the Arweave network. Its data folder
 * (DATA_DIR/arweave) *is* "the network" for the embedded default, so it must persist.
 */
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import ArLocalModule from 'arlocal';
import { UnavailableError } from '../errors.js';

export interface LocalArweave {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface ArLocalInstance {
  start(): Promise<void>;
  stop(): Promise<void>;
  getServer(): import('node:http').Server;
}
type ArLocalConstructor = new (port: number, showLogs: boolean, dbPath: string, persist: boolean) => ArLocalInstance;

// arlocal ships CommonJS with `exports.default`; under ESM interop the class may be one level down.
function arLocalClass(): ArLocalConstructor {
  const mod = ArLocalModule as unknown as { default?: ArLocalConstructor } & ArLocalConstructor;
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

// arlocal caches database handles in module variables keyed by the dbPath string; a second
// instance in the same process on the same folder would reuse the first one's closed handle.
// An equivalent path spelled differently ("dir/./.") gives each instance its own.
let starts = 0;

export async function startArlocal(opts: { dataDir: string; port?: number }): Promise<LocalArweave> {
  await mkdir(opts.dataDir, { recursive: true });
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const ArLocal = arLocalClass();
  // persist=true keeps the sqlite database between starts: it is the permanent store here.
  const dbPath = `${opts.dataDir}${'/.'.repeat(starts++)}`;
  const instance = new ArLocal(port, false, dbPath, true);
  // arlocal appends every request to ./logs in the working directory: keep it from doing so.
  const internals = instance as unknown as { log?: { logInFile?: (args: unknown) => void } };
  if (internals.log) internals.log.logInFile = () => undefined;
  // It also prints a start line on stdout, which must stay clean for `--json` output.
  const print = console.log;
  console.log = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('arlocal started')) return;
    print(...args);
  };
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
  }
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      const server = instance.getServer();
      const closed = new Promise<void>((resolve) => (server.listening ? server.once('close', () => resolve()) : resolve()));
      await instance.stop();
      // arlocal's stop() leaves keep-alive connections open to a server whose database is gone.
      server.closeAllConnections();
      await closed;
    },
  };
}
