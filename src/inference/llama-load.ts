/**
 * Loading for the node-llama-cpp adapter: the binding, ONE model and ONE context whose
 * sequences all conversations share (batched decoding), and the chat wrapper resolved once.
 * `gpu: "auto"` uses CUDA when present.
 */
import { access } from 'node:fs/promises';
import os from 'node:os';
import { getLlama, LlamaLogLevel, resolveChatWrapper, type ChatWrapper, type Llama, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { UnavailableError } from '../errors.js';

export interface LlamaCppOptions {
  modelPath: string;
  gpu: 'auto' | 'cuda' | 'vulkan' | 'metal' | 'off';
  /** 0 = one per core: node-llama-cpp's own default oversubscribes small machines badly. */
  threads: number;
  contextSize: number;
  sequences: number;
  logger?: (line: string) => void;
}

export interface LoadedLlama {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly sequences: LlamaContextSequence[];
  readonly chatWrapper: ChatWrapper;
  readonly threads: number;
  /** Frees the context, the model and the binding, in that order. */
  dispose(): Promise<void>;
}

/** 0 means one thread per core. */
export function threadCount(requested: number, cores: number = os.availableParallelism()): number {
  return requested > 0 ? requested : cores;
}

async function assertReadable(modelPath: string): Promise<void> {
  try {
    await access(modelPath);
  } catch (error) {
    throw new UnavailableError(`the model file ${modelPath} does not exist or cannot be read`, {
      cause: error,
      hint: 'set MODEL_PATH to a GGUF file, or unset it to download the default model (needs internet)',
    });
  }
}

async function loadModel(llama: Llama, modelPath: string): Promise<LlamaModel> {
  try {
    return await llama.loadModel({ modelPath });
  } catch (error) {
    await llama.dispose();
    throw new UnavailableError(`node-llama-cpp could not load ${modelPath}`, { cause: error, hint: 'is it a GGUF model file?' });
  }
}

export async function loadLlama(opts: LlamaCppOptions): Promise<LoadedLlama> {
  await assertReadable(opts.modelPath);
  const threads = threadCount(opts.threads);
  const llama = await getLlama({
    gpu: opts.gpu === 'off' ? false : opts.gpu,
    build: 'never',
    maxThreads: threads,
    logLevel: LlamaLogLevel.error,
    logger: (_level, message) => opts.logger?.(`llama.cpp: ${message.trim()}`),
  });
  const model = await loadModel(llama, opts.modelPath);
  const context = await model.createContext({ contextSize: opts.contextSize, sequences: opts.sequences, threads });
  const sequences: LlamaContextSequence[] = [];
  for (let i = 0; i < opts.sequences; i++) sequences.push(context.getSequence());
  // Resolved once: LlamaChat would resolve it again for every reply (template checks included).
  const chatWrapper = resolveChatWrapper(model);
  opts.logger?.(`model ${opts.modelPath} loaded (gpu: ${llama.gpu || 'none'}, threads: ${threads}, sequences: ${opts.sequences}, chat wrapper: ${chatWrapper.wrapperName})`);
  return {
    llama,
    model,
    sequences,
    chatWrapper,
    threads,
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
