/**
 * node-llama-cpp adapter: ONE model load and ONE context whose sequences are shared by all
 * conversations (batched decoding), `gpu: "auto"` so CUDA is used when present.
 *
 * A conversation keeps its sequence between turns. A new prompt reuses what the sequence holds:
 * the common prefix, and the tokens after a few ranges the new prompt dropped (the last turn's
 * reply plan), which are erased (./kept-tokens.ts); so a follow-up evaluates only its new
 * tokens. When there are more conversations than sequences, the least recently used gives its
 * sequence up (./sequence-slots.ts). Nothing of it is written to disk.
 */
import { access } from 'node:fs/promises';
import os from 'node:os';
import { getLlama, LlamaChat, LlamaLogLevel, resolveChatWrapper, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import { UnavailableError } from '../errors.js';
import type { ChatMessage, GenerateOptions, GenerateResult, LanguageModel, PrefillOptions, PrefillResult } from './types.js';
import { createSequenceSlots } from './sequence-slots.js';
import { alignKept } from './kept-tokens.js';
import { promptTokens, stablePrefixTokens, toHistory } from './chat-tokens.js';

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
  prefill(conversation: string, messages: ChatMessage[], options?: PrefillOptions): Promise<PrefillResult>;
  release(conversation: string): Promise<void>;
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
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: opts.modelPath });
  } catch (error) {
    await llama.dispose();
    throw new UnavailableError(`node-llama-cpp could not load ${opts.modelPath}`, { cause: error, hint: 'is it a GGUF model file?' });
  }
  const context = await model.createContext({ contextSize: opts.contextSize, sequences: opts.sequences, threads });
  const sequences: LlamaContextSequence[] = [];
  for (let i = 0; i < opts.sequences; i++) sequences.push(context.getSequence());
  const slots = createSequenceSlots(sequences);
  // Resolved once: LlamaChat would resolve it again for every reply (template checks included).
  const chatWrapper = resolveChatWrapper(model);
  opts.logger?.(`model ${opts.modelPath} loaded (gpu: ${llama.gpu || 'none'}, threads: ${threads}, sequences: ${opts.sequences}, chat wrapper: ${chatWrapper.wrapperName})`);

  // One call at a time per conversation, in the order made: a prefill, then its reply.
  const queues = new Map<string, Promise<unknown>>();
  function inOrder<T>(conversation: string | undefined, work: () => Promise<T>): Promise<T> {
    if (conversation === undefined) return work();
    const run = (queues.get(conversation) ?? Promise.resolve()).catch(() => undefined).then(work);
    const settled = run.catch(() => undefined);
    queues.set(conversation, settled);
    void settled.then(() => {
      if (queues.get(conversation) === settled) queues.delete(conversation);
    });
    return run;
  }

  /** Tokens a prefill evaluated for the reply that follows it: part of that reply's cost. */
  const prefilled = new Map<string, number>();

  /** Runs `use` on the conversation's sequence (or an empty one), never on another's tokens. */
  async function withSequence<T>(conversation: string | undefined, use: (sequence: LlamaContextSequence) => Promise<T>): Promise<T> {
    const slot = await slots.acquire(conversation);
    let keep = conversation;
    try {
      if (slot.heldFor !== conversation || conversation === undefined) {
        // Another conversation's tokens: that one's next turn starts from nothing.
        if (slot.heldFor !== undefined && slot.heldFor !== conversation) prefilled.delete(slot.heldFor);
        await slot.item.clearHistory();
      }
      return await use(slot.item);
    } catch (error) {
      // Whatever state a failed call left behind is not worth keeping.
      keep = undefined;
      throw error;
    } finally {
      if (keep === undefined) await slot.item.clearHistory().catch(() => undefined);
      slots.release(slot.item, keep);
    }
  }

  /**
   * Leaves in the sequence only tokens that start `tokens`: the common prefix, and the runs after
   * ranges the prompt dropped (erased, the rest moved back). Returns how many were moved.
   */
  async function keepFor(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
    const alignment = alignKept(sequence.contextTokens, tokens);
    if (alignment.erase.length > 0) await sequence.eraseContextTokenRanges(alignment.erase);
    const held = sequence.contextTokens;
    if (held.length !== alignment.reused || held.some((token, i) => token !== tokens[i])) {
      // Not what was asked for (node-llama-cpp may drop the cache instead of moving it): start over.
      await sequence.clearHistory();
      return 0;
    }
    return alignment.shifted;
  }

  const meter = (sequence: LlamaContextSequence) => {
    const state = sequence.tokenMeter.getState();
    return state.usedInputTokens + state.usedOutputTokens;
  };

  async function prefill(conversation: string, messages: ChatMessage[], options: PrefillOptions = {}): Promise<PrefillResult> {
    return inOrder(conversation, () => {
      // Only with a sequence to spare: when others wait for one, work ahead would delay them and,
      // with more conversations than sequences, most likely be evicted before its reply uses it.
      if (!slots.free || (options.idleOnly && !slots.holds(conversation))) return Promise.resolve({ tokens: 0, evaluated: 0 });
      return withSequence(conversation, async (sequence) => {
        const tokens = stablePrefixTokens(chatWrapper, model, messages);
        const shifted = await keepFor(sequence, tokens);
        const rest = tokens.slice(sequence.nextTokenIndex);
        if (rest.length > 0) await sequence.evaluateWithoutGeneratingNewTokens(rest);
        prefilled.set(conversation, (prefilled.get(conversation) ?? 0) + rest.length);
        return { tokens: tokens.length, evaluated: rest.length, shifted };
      });
    });
  }

  async function generate(options: GenerateOptions): Promise<GenerateResult> {
    const started = performance.now();
    return inOrder(options.conversation, () =>
      withSequence(options.conversation, async (sequence) => {
        let firstTokenMs: number | undefined;
        let tokens = 0;
        const prompt = promptTokens(chatWrapper, model, options.messages);
        // LlamaChat keeps only the common prefix: what the prompt dropped is erased first.
        await keepFor(sequence, prompt);
        // After the erasing: node-llama-cpp's meter counts moved tokens as input, but they are not evaluated.
        const meteredBefore = meter(sequence);
        const ahead = options.conversation === undefined ? 0 : (prefilled.get(options.conversation) ?? 0);
        if (options.conversation !== undefined) prefilled.delete(options.conversation);
        const chat = new LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
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
          // Every token decoded, less the generated ones fed back (what the sequence holds past the prompt).
          const evaluatedTokens = ahead + meter(sequence) - meteredBefore - Math.max(0, sequence.contextTokens.length - prompt.length);
          return {
            text: result.response,
            tokens,
            firstTokenMs,
            totalMs: performance.now() - started,
            finishReason: reason === 'maxTokens' ? 'length' : reason === 'abort' ? 'abort' : 'stop',
            promptTokens: prompt.length,
            evaluatedTokens,
          };
        } finally {
          chat.dispose({ disposeSequence: false });
        }
      }),
    );
  }

  /** Clears the conversation's sequence, if it still has one, and frees it for others. */
  async function release(conversation: string): Promise<void> {
    await inOrder(conversation, async () => {
      prefilled.delete(conversation);
      const sequence = slots.claim(conversation);
      if (!sequence) return;
      try {
        await sequence.clearHistory();
      } finally {
        slots.release(sequence, undefined);
      }
    });
  }

  return {
    id: `llama-cpp:${opts.modelPath.split(/[\\/]/).pop() ?? opts.modelPath}`,
    gpu: llama.gpu,
    threads,
    generate,
    prefill,
    release,
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
