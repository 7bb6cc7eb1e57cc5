/** Runs the permachat CLI in-process, capturing stdout and stderr. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], opts: { env?: Record<string, string>; cwd: string; stdin?: string; stopSignal?: Promise<string>; onStdout?: (text: string) => void }): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => {
    out.push(chunk.toString('utf8'));
    opts.onStdout?.(out.join(''));
  });
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  const code = await main(args, {
    stdout,
    stderr,
    stdin,
    // A turn answered without AO fails unless the test says otherwise (see AO_REQUIRED).
    env: { LOG_LEVEL: 'warn', AO_REQUIRED: 'true', ...opts.env },
    cwd: opts.cwd,
    stopSignal: opts.stopSignal ?? new Promise(() => undefined),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
