/** `permachat start` from dist/ in a child process, for tests that kill it (-9) and start it again. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './tmp-dir.js';

export const serviceEntry = path.join(repoRoot, 'dist', 'src', 'cli', 'main.js');

/**
 * The settings of a service on the tiny test model: one thread, a few tokens per reply (the
 * tests are about what happens around a reply, not its text), any free port, its own memory key.
 */
export function tinyServiceEnv(opts: { dir: string; model: string; keyByte: number; logLevel: string; parent?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv {
  return {
    ...(opts.parent ?? process.env), DATA_DIR: path.join(opts.dir, 'data'), MODEL_PATH: opts.model, PORT: '0', LOG_LEVEL: opts.logLevel,
    LLM_THREADS: '1', LLM_MAX_TOKENS: '4', MEMORY_KEY: Buffer.alloc(32, opts.keyByte).toString('base64'),
    // A turn answered without AO is a failure in these tests, not a quiet fallback.
    AO_REQUIRED: 'true',
  };
}

export interface ServiceProcess {
  child: ChildProcess;
  /** The web URL from the ready line. */
  url: string;
  /** Resolves when the process has exited, however it ended: its exit code, or the signal that killed it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Resolves once the ready line is printed. Everything the service writes on stderr goes to
 * `log` (kept across restarts, for the assertion messages of the test).
 */
export function startService(env: NodeJS.ProcessEnv, log: string[]): Promise<ServiceProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serviceEntry, 'start'], { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /permachat is ready: (\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
      log.push(chunk.toString());
    });
    child.once('exit', (code, signal) => reject(new Error(`service exited (${code ?? signal}) before ready: ${err}`)));
  });
}
