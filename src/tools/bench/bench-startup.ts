/**
 * Start-up of `permachat start` to its ready line, against a bare `node -e 0`; resident memory
 * of the running service at idle and while web conversations are answered at once (16 on the
 * tiny model; 4, the default number of sequences, on the real-shape one, whose turns take seconds).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';
import { ratio, round } from './stats.js';

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

function timeNode(args: string[], env: NodeJS.ProcessEnv, until?: RegExp): Promise<{ ms: number; pid: number; url: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const stop = () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = until?.exec(out);
      if (match) resolve({ ms: performance.now() - started, pid: child.pid ?? 0, url: match[1] ?? '', stop });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      if (!until) resolve({ ms: performance.now() - started, pid: 0, url: '', stop });
      else reject(new Error(`exited (${code}) before ready: ${err.slice(-500)}`));
    });
  });
}

export async function benchStartup(deps: { env: Record<string, string>; conversations: number }) {
  const baseline = await timeNode(['-e', '0'], process.env);
  const env = { ...process.env, ...deps.env, PORT: '0', LOG_LEVEL: 'warn' };
  const service = await timeNode([path.join(packageRoot(), 'dist', 'src', 'cli', 'main.js'), 'start'], env, /permachat is ready: (\S+)/);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = await rssMb(service.pid);
    let peak = idle;
    const sampler = setInterval(() => void rssMb(service.pid).then((mb) => (peak = Math.max(peak, mb))), 50);
    await Promise.all(
      Array.from({ length: deps.conversations }, async (_, i) => {
        const response = await fetch(`${service.url}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sessionId: `bench-session-${String(i).padStart(19, '0')}`, message: `hello from bench ${i}` }),
        });
        await response.text();
      }),
    );
    clearInterval(sampler);
    return {
      startToReadyMs: round(service.ms),
      bareNodeStartMs: round(baseline.ms),
      startupRatio: ratio(service.ms, baseline.ms),
      rssIdleMb: round(idle, 1),
      rssUnderLoadMb: round(peak, 1),
      rssLoadToIdleRatio: ratio(peak, idle),
      conversations: deps.conversations,
    };
  } finally {
    await service.stop();
  }
}
