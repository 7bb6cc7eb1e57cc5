/**
 * One reply on node-llama-cpp: the conversation's sequence keeps what the prompt still starts
 * with, LlamaChat evaluates the rest and streams the reply, and the token meter says how much
 * of the prompt this reply cost (its prefill included).
 */
import { LlamaChat, type ChatWrapper, type LLamaChatGenerateResponseOptions, type LlamaChatResponse, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { promptTokens, toHistory } from './chat-tokens.js';
import type { InOrder } from './conversation-queue.js';
import { keepFor } from './kept-tokens.js';
import type { LeaseSequence } from './sequence-lease.js';
import type { GenerateOptions, GenerateResult } from './types.js';

export interface LlamaGenerateDeps {
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  inOrder: InOrder;
  lease: LeaseSequence<LlamaContextSequence>;
  prefilled: Map<string, number>;
}

/** What streaming has seen so far of one reply. */
export interface StreamTally {
  tokens: number;
  firstTokenMs: number | undefined;
}

/** LlamaChat's options for our generate options; the callbacks keep `tally` and pass the text on. */
export function responseOptions(options: GenerateOptions, tally: StreamTally, started: number, now: () => number = () => performance.now()): LLamaChatGenerateResponseOptions {
  return {
    maxTokens: options.maxTokens ?? 256,
    temperature: options.temperature ?? 0.7,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.stop ? { customStopTriggers: options.stop } : {}),
    ...(options.signal ? { signal: options.signal, stopOnAbortSignal: true } : {}),
    // Thinking models (Qwen3) answer directly: a chat bot's latency matters more.
    budgets: { thoughtTokens: 0 },
    onToken: (chunk) => {
      tally.tokens += chunk.length;
    },
    onTextChunk: (text) => {
      tally.firstTokenMs ??= now() - started;
      options.onToken?.(text);
    },
  };
}

export function finishReason(stopReason: LlamaChatResponse['metadata']['stopReason']): GenerateResult['finishReason'] {
  return stopReason === 'maxTokens' ? 'length' : stopReason === 'abort' ? 'abort' : 'stop';
}

export interface MeterReading {
  /** Tokens a prefill evaluated ahead for this reply. */
  ahead: number;
  /** node-llama-cpp's token meter (input + output) before and after the reply. */
  before: number;
  after: number;
  /** What the sequence holds after the reply, and the prompt's length. */
  held: number;
  prompt: number;
}

/** Every token decoded, less the generated ones fed back (what the sequence holds past the prompt). */
export function evaluatedTokens({ ahead, before, after, held, prompt }: MeterReading): number {
  return ahead + after - before - Math.max(0, held - prompt);
}

function meter(sequence: LlamaContextSequence): number {
  const state = sequence.tokenMeter.getState();
  return state.usedInputTokens + state.usedOutputTokens;
}

/** Takes what a prefill evaluated ahead for the conversation's reply, leaving nothing behind. */
function takePrefilled(prefilled: Map<string, number>, conversation: string | undefined): number {
  if (conversation === undefined) return 0;
  const ahead = prefilled.get(conversation) ?? 0;
  prefilled.delete(conversation);
  return ahead;
}

async function replyOn(deps: LlamaGenerateDeps, sequence: LlamaContextSequence, options: GenerateOptions, started: number): Promise<GenerateResult> {
  const prompt = promptTokens(deps.chatWrapper, deps.model, options.messages);
  // LlamaChat keeps only the common prefix: what the prompt dropped is erased first.
  await keepFor(sequence, prompt);
  // After the erasing: node-llama-cpp's meter counts moved tokens as input, but they are not evaluated.
  const before = meter(sequence);
  const ahead = takePrefilled(deps.prefilled, options.conversation);
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: deps.chatWrapper, autoDisposeSequence: false });
  const tally: StreamTally = { tokens: 0, firstTokenMs: undefined };
  try {
    const result = await chat.generateResponse(toHistory(options.messages), responseOptions(options, tally, started));
    return {
      text: result.response,
      tokens: tally.tokens,
      firstTokenMs: tally.firstTokenMs,
      totalMs: performance.now() - started,
      finishReason: finishReason(result.metadata.stopReason),
      promptTokens: prompt.length,
      evaluatedTokens: evaluatedTokens({ ahead, before, after: meter(sequence), held: sequence.contextTokens.length, prompt: prompt.length }),
    };
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}

export function generateWith(deps: LlamaGenerateDeps): (options: GenerateOptions) => Promise<GenerateResult> {
  return (options) => {
    const started = performance.now();
    return deps.inOrder(options.conversation, () => deps.lease(options.conversation, (sequence) => replyOn(deps, sequence, options, started)));
  };
}
