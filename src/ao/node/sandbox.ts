/**
 * A worker thread that runs AO modules with @permaweb/ao-loader, away from the host's globals.
 *
 * Why a thread: to make modules deterministic, ao-loader replaces the *process-wide*
 * `Date.now`, `performance.now`, `process.hrtime` and `Math.random` when it instantiates a
 * module (Date.now becomes a counter starting at 10 000) and swaps `Math.random` and
 * `console.log` during each call. In the host that broke every clock: timestamps, timeouts,
 * rate limits and measured latencies. A worker has its own globals, so the loader may do as it
 * likes there. Wasm execution also leaves the main thread, which keeps streaming replies.
 *
 * A worker serves its runners one call at a time (the loader's swaps are not safe across
 * interleaved calls); the node's pool has one worker per core, each process's module on one of
 * them (createSandboxPool). A worker is unreferenced while idle, so it never keeps a CLI alive.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PermachatError } from '../../errors.js';

/** What the loader returned, reduced to the fields the node uses. */
export interface SandboxAnswer {
  Memory: Uint8Array | null;
  Output: unknown;
  Messages: unknown;
  Spawns: unknown;
  Assignments: unknown;
  Error: unknown;
  GasUsed: unknown;
}

export interface LoaderOptions {
  format: string;
  inputEncoding?: string;
  outputEncoding?: string;
  memoryLimit: string;
  computeLimit: number;
  extensions: unknown[];
}

export class SandboxError extends PermachatError {
  constructor(message: string) {
    super('AO_SANDBOX', message, { hint: 'the module trapped or its worker stopped; the process state stays as it was' });
  }
}

// Plain CommonJS: a worker started with `eval` cannot load TypeScript, and this keeps the
// worker identical under the test runner and in the built package.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const AoLoader = require(workerData.loaderPath);
const modules = new Map();
let queue = Promise.resolve();
parentPort.on('message', (request) => { queue = queue.then(() => serve(request)); });
function describe(error) {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try { return JSON.stringify(error); } catch { return String(error); }
}
async function serve(request) {
  if (request.type === 'define') { modules.set(request.key, { bytes: request.bytes, options: request.options, handle: undefined }); return; }
  if (request.type === 'drop') { modules.delete(request.key); return; }
  const entry = modules.get(request.key);
  try {
    if (!entry) throw new Error('module ' + request.key + ' is not defined in the sandbox');
    if (!entry.handle) entry.handle = await AoLoader(entry.bytes, entry.options);
    const raw = await entry.handle(request.memory, request.msg, request.env);
    const memory = raw && raw.Memory ? new Uint8Array(raw.Memory) : null;
    const answer = { Memory: memory, Output: raw.Output, Messages: raw.Messages, Spawns: raw.Spawns, Assignments: raw.Assignments, Error: raw.Error, GasUsed: raw.GasUsed };
    parentPort.postMessage({ id: request.id, ok: true, answer }, memory ? [memory.buffer] : []);
  } catch (error) {
    // A trapped instance may be half-written: the next call starts a fresh one.
    if (entry) entry.handle = undefined;
    parentPort.postMessage({ id: request.id, ok: false, error: describe(error) });
  }
}
`;

type Reply = { id: number; ok: true; answer: SandboxAnswer } | { id: number; ok: false; error: string };

interface Pending {
  worker: Worker;
  resolve(answer: SandboxAnswer): void;
  reject(error: Error): void;
}

export interface Sandbox {
  /** Registers module bytes under a key; instantiated on first use. */
  define(key: string, bytes: Uint8Array, options: LoaderOptions): void;
  call(key: string, memory: Uint8Array | null, msg: object, env: object): Promise<SandboxAnswer>;
  drop(key: string): void;
  /** Stops the worker; calls in flight fail, and the next call starts a new one. */
  stop(): Promise<void>;
}

export function createSandbox(): Sandbox {
  const loaderPath = createRequire(import.meta.url).resolve('@permaweb/ao-loader');
  const defined = new Map<string, { bytes: Uint8Array; options: LoaderOptions }>();
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let nextId = 0;

  function spawnWorker(): Worker {
    const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { loaderPath } });
    started.unref();
    started.on('message', (reply: Reply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (![...pending.values()].some((other) => other.worker === started)) started.unref();
      if (reply.ok) waiter.resolve(reply.answer);
      else waiter.reject(new SandboxError(reply.error));
    });
    const fail = (why: string) => {
      if (worker === started) worker = undefined;
      // Only the calls this worker had: a replacement may already be serving others.
      for (const [id, waiter] of pending) {
        if (waiter.worker !== started) continue;
        pending.delete(id);
        waiter.reject(new SandboxError(why));
      }
    };
    started.on('error', (error) => fail(`the module worker failed: ${error.message}`));
    started.on('exit', (code) => fail(`the module worker exited (${code})`));
    // A new worker knows no modules: define again what the old one held.
    for (const [key, { bytes, options }] of defined) started.postMessage({ type: 'define', key, bytes, options });
    return started;
  }

  const current = () => (worker ??= spawnWorker());

  return {
    define(key, bytes, options) {
      defined.set(key, { bytes, options });
      current().postMessage({ type: 'define', key, bytes, options });
    },
    call(key, memory, msg, env) {
      const target = current();
      const id = nextId++;
      return new Promise<SandboxAnswer>((resolve, reject) => {
        pending.set(id, { worker: target, resolve, reject });
        target.ref();
        target.postMessage({ type: 'call', id, key, memory, msg, env });
      });
    },
    drop(key) {
      defined.delete(key);
      worker?.postMessage({ type: 'drop', key });
    },
    async stop() {
      const running = worker;
      worker = undefined;
      await running?.terminate();
    },
  };
}

/**
 * Sandboxes side by side, each process's module kept on one of them: calls for one process stay
 * in order (the node queues them anyway), while independent processes (Understanding and
 * Sentiment of one turn, different turns' steps) evaluate at the same time on other threads.
 * A key goes to the sandbox holding the fewest.
 */
export function createSandboxPool(size: number, create: () => Sandbox = createSandbox): Sandbox {
  const members = Array.from({ length: Math.max(1, size) }, () => ({ sandbox: create(), keys: new Set<string>() }));
  const owner = new Map<string, (typeof members)[number]>();
  const memberOf = (key: string) => {
    const member = owner.get(key);
    if (!member) throw new SandboxError(`module ${key} is not defined in the sandbox`);
    return member;
  };
  return {
    define(key, bytes, options) {
      const member = owner.get(key) ?? members.reduce((least, next) => (next.keys.size < least.keys.size ? next : least));
      member.keys.add(key);
      owner.set(key, member);
      member.sandbox.define(key, bytes, options);
    },
    call: (key, memory, msg, env) => {
      try {
        return memberOf(key).sandbox.call(key, memory, msg, env);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    drop(key) {
      const member = owner.get(key);
      if (!member) return;
      owner.delete(key);
      member.keys.delete(key);
      member.sandbox.drop(key);
    },
    async stop() {
      await Promise.all(members.map((member) => member.sandbox.stop()));
    },
  };
}

let shared: Sandbox | undefined;

/** The process's module sandboxes: one thread per core, started on first use. */
export function moduleSandbox(): Sandbox {
  return (shared ??= createSandboxPool(availableParallelism()));
}
