/**
 * node-llama-cpp adapter: ONE model load and ONE context whose sequences are shared by all
 * conversations (batched decoding), `gpu: "auto"` so CUDA is used when present.
 */
import { access } from 'node:fs/promises';
import os from 'node:os';
import { getLlama, LlamaChat, LlamaLogLevel, type ChatHistoryItem, type LlamaContextSequence } from 'node-llama-cpp';
import { UnavailableError } from '../errors.js';
import type { ChatMessage, GenerateOptions, GenerateResult, LanguageModel } from './types.js';
import { createPool } from './sequence-pool.js';

export interface LlamaCppOptions {
  modelPath: string;
  gpu: 'auto' | 'cuda' | 'vulkan' | 'metal' | 'off';
  /** 0 = one per core: node-llama-cpp's own default oversubscribes small machines badly. */
  threads: number;
  contextSize: number;
  sequences: number;
  logger?: (line: string) => void;
}

export interface LlamaCppModel extends LanguageModel {
  /** The GPU backend in use, or false on CPU. */
  readonly gpu: string | false;
  readonly threads: number;
}

function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === 'system'
      ? { type: 'system', text: message.content }
      : message.role === 'user'
        ? { type: 'user', text: message.content }
        : { type: 'model', response: [message.content] },
  );
  // generateResponse continues the last model turn: an empty one asks for a new reply.
  history.push({ type: 'model', response: [] });
  return history;
}

export async function createLlamaCppModel(opts: LlamaCppOptions): Promise<LlamaCppModel> {
  try {
    await access(opts.modelPath);
  } catch (error) {
    throw new UnavailableError(`the model file ${opts.modelPath} does not exist or cannot be read`, {
      cause: error,
      hint: 'set MODEL_PATH to a GGUF file, or unset it to download the default model (needs internet)',
    });
  }
  const threads = opts.threads > 0 ? opts.threads : os.availableParallelism();
  const llama = await getLlama({
    gpu: opts.gpu === 'off' ? false : opts.gpu,
    build: 'never',
    maxThreads: threads,
    logLevel: LlamaLogLevel.error,
    logger: (_level, message) => opts.logger?.(`llama.cpp: ${message.trim()}`),
  });
  let model;
  try {
    model = await llama.loadModel({ modelPath: opts.modelPath });
  } catch (error) {
    await llama.dispose();
    throw new UnavailableError(`node-llama-cpp could not load ${opts.modelPath}`, { cause: error, hint: 'is it a GGUF model file?' });
  }
  const context = await model.createContext({ contextSize: opts.contextSize, sequences: opts.sequences, threads });
  const sequences: LlamaContextSequence[] = [];
  for (let i = 0; i < opts.sequences; i++) sequences.push(context.getSequence());
  const pool = createPool(sequences);
  opts.logger?.(`model ${opts.modelPath} loaded (gpu: ${llama.gpu || 'none'}, threads: ${threads}, sequences: ${opts.sequences})`);

  async function generate(options: GenerateOptions): Promise<GenerateResult> {
    const started = performance.now();
    const sequence = await pool.acquire();
    let firstTokenMs: number | undefined;
    let tokens = 0;
    const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      const result = await chat.generateResponse(toHistory(options.messages), {
        maxTokens: options.maxTokens ?? 256,
        temperature: options.temperature ?? 0.7,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.stop ? { customStopTriggers: options.stop } : {}),
        ...(options.signal ? { signal: options.signal, stopOnAbortSignal: true } : {}),
        // Thinking models (Qwen3) answer directly: a chat bot's latency matters more.
        budgets: { thoughtTokens: 0 },
        onToken: (chunk) => {
          tokens += chunk.length;
        },
        onTextChunk: (text) => {
          firstTokenMs ??= performance.now() - started;
          options.onToken?.(text);
        },
      });
      const reason = result.metadata.stopReason;
      return {
        text: result.response,
        tokens,
        firstTokenMs,
        totalMs: performance.now() - started,
        finishReason: reason === 'maxTokens' ? 'length' : reason === 'abort' ? 'abort' : 'stop',
      };
    } finally {
      chat.dispose({ disposeSequence: false });
      // The next conversation starts from an empty sequence.
      await sequence.clearHistory();
      pool.release(sequence);
    }
  }

  return {
    id: `llama-cpp:${opts.modelPath.split(/[\\/]/).pop() ?? opts.modelPath}`,
    gpu: llama.gpu,
    threads,
    generate,
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
