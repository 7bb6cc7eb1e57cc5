/**
 * The whole service in-process (tiny generated model, AO node, memory on arlocal unless
 * ARWEAVE_URL says otherwise) in its own scratch folder, for the reliability tests.
 */
import path from 'node:path';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { loadConfig } from '../../src/config/config.js';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { createLogger } from '../../src/logger.js';
import { makeTmpDir, repoRoot } from './tmp-dir.js';

export interface TinyRuntime {
  runtime: Runtime;
  /** The scratch folder; DATA_DIR is `data` in it. */
  dir: string;
  /** The environment the runtime was configured from (for CLI runs against the same state). */
  env: Record<string, string>;
  /** Closes the runtime (once). */
  stop(): Promise<void>;
  /** Closes the runtime and removes the scratch folder. */
  close(): Promise<void>;
}

export interface TinyRuntimeOptions {
  /** Scratch folder prefix. */
  name: string;
  /** Byte the 32-byte memory key is filled with, so each test has its own key. */
  keyByte: number;
  /** Extra or overriding configuration (LLM_SEQUENCES, ARWEAVE_URL, …). */
  env?: Record<string, string>;
  /** Where log lines go, and from which level. */
  log: { level: 'debug' | 'info' | 'warn' | 'error'; write: (line: string) => void; secrets?: string[] };
  /** Runs before the runtime starts, with the scratch folder (to start a gateway in it, say). */
  before?: (dir: string) => Promise<Record<string, string>>;
}

export async function startTinyRuntime(opts: TinyRuntimeOptions): Promise<TinyRuntime> {
  const tmp = await makeTmpDir(opts.name);
  try {
    const model = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(model);
    const env: Record<string, string> = {
      DATA_DIR: path.join(tmp.dir, 'data'), MODEL_PATH: model, LLM_THREADS: '1', LLM_MAX_TOKENS: '4',
      MEMORY_KEY: Buffer.alloc(32, opts.keyByte).toString('base64'),
      // A turn answered without AO is a failure in these tests, not a quiet fallback.
      AO_REQUIRED: 'true',
      ...(opts.before ? await opts.before(tmp.dir) : {}),
      ...opts.env,
    };
    const runtime = await createRuntime(loadConfig(env, {}, repoRoot), createLogger(opts.log), { cwd: repoRoot });
    let stopped: Promise<void> | undefined;
    const stop = () => (stopped ??= runtime.close());
    return {
      runtime, dir: tmp.dir, env, stop,
      async close() {
        await stop();
        await tmp.remove();
      },
    };
  } catch (error) {
    await tmp.remove();
    throw error;
  }
}
