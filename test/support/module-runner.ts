/** Runs one of our AO modules directly with @permaweb/ao-loader, carrying Memory between calls. */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import AoLoader from '@permaweb/ao-loader';
import { loadModuleBytes, modulePath, type ModuleName } from '../../src/ao/modules.js';
import { repoRoot } from './tmp-dir.js';

export interface LoaderMessage {
  Id?: string;
  From: string;
  Owner?: string;
  Tags: Array<{ name: string; value: string }>;
  Data?: string;
}

export interface LoaderResult {
  Output: unknown;
  Messages: Array<{ Target: string; Tags: Array<{ name: string; value: string }>; Data: string }>;
  Memory: ArrayBuffer | null;
  Error?: unknown;
  GasUsed?: number;
}

export function ensureModulesBuilt(): void {
  if (!existsSync(modulePath('generation'))) execFileSync('node', ['scripts/build-modules.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

/**
 * `inPlace`: the state stays in the loader's instance between calls (no memory copy each way,
 * as a CU does between checkpoints); for long runs. Dry-runs are not available then.
 */
export async function createModuleRunner(name: ModuleName, opts: { processTags?: Array<{ name: string; value: string }>; format?: string; inPlace?: boolean } = {}) {
  const bytes = await loadModuleBytes(name);
  type Handle = (memory: ArrayBuffer | null, msg: Record<string, unknown>, env: Record<string, unknown>) => Promise<LoaderResult>;
  const handle = (await AoLoader(bytes, { format: opts.format ?? 'wasm32-unknown-emscripten4', memoryLimit: '524288000', computeLimit: 9e12, ...(opts.inPlace ? { UNSAFE_MEMORY: true } : {}) })) as unknown as Handle;
  let memory: ArrayBuffer | null = null;
  let counter = 0;
  const env = { Process: { Id: `${name}-pid`, Owner: 'owner', Tags: opts.processTags ?? [] }, Module: { Id: `${name}-module`, Tags: [] } };
  async function call(message: LoaderMessage, keep: boolean): Promise<LoaderResult> {
    if (opts.inPlace && !keep) throw new Error('a runner that keeps its state in place cannot dry-run');
    const print = console.log;
    try {
      const result = await handle(memory, {
        Id: message.Id ?? `msg-${++counter}`, Owner: message.Owner ?? message.From, Target: env.Process.Id, Module: env.Module.Id,
        'Block-Height': '1', Timestamp: String(1_700_000_000_000 + counter), Cron: false, ...message,
      }, env);
      if (keep && !opts.inPlace) memory = result.Memory;
      return result;
    } finally {
      console.log = print; // the loader replaces it and does not restore it on a throw
    }
  }
  return {
    send: (message: LoaderMessage) => call(message, true),
    /** Evaluates on the current memory without keeping the result: what a dry-run does. */
    dryRun: (message: LoaderMessage) => call(message, false),
  };
}

export const analyze = (text: string, extra: Array<{ name: string; value: string }> = []): LoaderMessage => ({
  From: 'sender', Tags: [{ name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: 'turn-1' }, ...extra], Data: text,
});

/**
 * A signed item as the stock AO compute unit (permaweb/ao servers/cu) turns it into `msg`:
 * From is the From-Process tag when there is one, whoever signed; Owner is the signer.
 */
export function asStockCu(item: { owner: string; tags: Array<{ name: string; value: string }>; data?: string }): LoaderMessage {
  const fromProcess = item.tags.find((tag) => tag.name === 'From-Process')?.value;
  return { From: fromProcess ?? item.owner, Owner: item.owner, Tags: item.tags, ...(item.data !== undefined ? { Data: item.data } : {}) };
}
