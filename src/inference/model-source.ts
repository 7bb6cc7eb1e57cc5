/**
 * Where the model file comes from: MODEL_PATH, or a model already downloaded into
 * DATA_DIR/models, or a first-run download of MODEL_URI with a progress bar. Offline and
 * without a file, the error says exactly what to do instead.
 */
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveModelFile } from 'node-llama-cpp';
import { UnavailableError } from '../errors.js';

export interface ModelSourceOptions {
  modelPath?: string;
  modelUri: string;
  modelsDir: string;
  log: (line: string) => void;
  /** Gives up a download that has not started within this time (offline machines). */
  connectTimeoutMs?: number;
}

const offlineHint =
  'set MODEL_PATH to a GGUF file, or LLM_BASE_URL to an OpenAI-compatible server, or try the pipeline with the tiny test model: permachat make-test-model .permachat/tiny.gguf && MODEL_PATH=.permachat/tiny.gguf';

export async function resolveModelPath(opts: ModelSourceOptions): Promise<string> {
  if (opts.modelPath) {
    try {
      await access(opts.modelPath);
      return opts.modelPath;
    } catch (error) {
      throw new UnavailableError(`MODEL_PATH=${opts.modelPath}: no such file`, { cause: error, hint: 'give the path of a GGUF model file' });
    }
  }
  const already = await readdir(opts.modelsDir).catch(() => [] as string[]);
  const found = already.find((file) => file.endsWith('.gguf'));
  if (found) return path.join(opts.modelsDir, found);

  opts.log(`no MODEL_PATH: downloading ${opts.modelUri} into ${opts.modelsDir} (first run only)`);
  const controller = new AbortController();
  let started = false;
  const timer = setTimeout(() => {
    if (!started) controller.abort(new Error('no connection'));
  }, opts.connectTimeoutMs ?? 20_000);
  try {
    return await resolveModelFile(opts.modelUri, {
      directory: opts.modelsDir,
      cli: true,
      signal: controller.signal,
      onProgress: () => {
        started = true;
      },
    });
  } catch (error) {
    throw new UnavailableError(`no model: MODEL_PATH is unset and ${opts.modelUri} could not be downloaded`, { cause: error, hint: offlineHint });
  } finally {
    clearTimeout(timer);
  }
}
