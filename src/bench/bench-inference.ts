/**
 * Inference: a reply through the whole pipeline (three AO processes, memory recall and write)
 * against one direct node-llama-cpp call with the same prompt and model; and 1, 4 and 16
 * simultaneous conversations on one loaded model (batched sequences) against one at a time.
 */
import type { ConversationPort } from '../conversation/types.js';
import type { ChatMessage, GenerateOptions, LanguageModel } from '../inference/types.js';
import { mean, percentile, ratio, round } from './stats.js';

/** Wraps a model to remember the prompt of its last call: the direct baseline reuses it. */
export function recordingModel(model: LanguageModel): LanguageModel & { lastMessages: ChatMessage[] } {
  const wrapped = {
    id: model.id,
    lastMessages: [] as ChatMessage[],
    async generate(options: GenerateOptions) {
      wrapped.lastMessages = options.messages;
      return model.generate(options);
    },
    close: () => model.close(),
  };
  return wrapped;
}

export async function benchReplyLatency(deps: { conversation: ConversationPort; model: LanguageModel & { lastMessages: ChatMessage[] }; turns: number; maxTokens: number }) {
  const pipeline: Array<{ ttft: number; total: number }> = [];
  const direct: Array<{ ttft: number; total: number }> = [];
  for (let i = 0; i < deps.turns; i++) {
    const started = performance.now();
    let first: number | undefined;
    await deps.conversation.handleTurn({ channel: 'cli', userId: 'bench', text: `benchmark turn ${i}: how is the sea today?`, onToken: () => (first ??= performance.now() - started) });
    pipeline.push({ ttft: first ?? Number.NaN, total: performance.now() - started });
    const result = await deps.model.generate({ messages: deps.model.lastMessages, maxTokens: deps.maxTokens, onToken: () => undefined });
    direct.push({ ttft: result.firstTokenMs ?? Number.NaN, total: result.totalMs });
  }
  const p50 = (rows: typeof pipeline, key: 'ttft' | 'total') => percentile(rows.map((r) => r[key]), 50);
  return {
    turns: deps.turns,
    pipelineTtftMs: round(p50(pipeline, 'ttft')),
    directTtftMs: round(p50(direct, 'ttft')),
    ttftRatio: ratio(p50(pipeline, 'ttft'), p50(direct, 'ttft')),
    pipelineTotalMs: round(p50(pipeline, 'total')),
    directTotalMs: round(p50(direct, 'total')),
    totalRatio: ratio(p50(pipeline, 'total'), p50(direct, 'total')),
  };
}

export async function benchConcurrency(deps: { model: LanguageModel; levels: number[]; maxTokens: number }) {
  const run = async (n: number) => {
    const latencies: number[] = [];
    let tokens = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const t0 = performance.now();
        const result = await deps.model.generate({ messages: [{ role: 'user', content: `conversation ${i}: tell me about the weather and the sea` }], maxTokens: deps.maxTokens, temperature: 0.7, seed: i });
        latencies.push(performance.now() - t0);
        tokens += result.tokens;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { tokensPerSecond: tokens / seconds, p99Ms: percentile(latencies, 99), meanMs: mean(latencies) };
  };
  const results: Record<string, number> = {};
  const single = await run(1);
  for (const n of deps.levels) {
    const r = n === 1 ? single : await run(n);
    results[`c${n}TokensPerSecond`] = round(r.tokensPerSecond, 1);
    results[`c${n}P99Ms`] = round(r.p99Ms);
    results[`c${n}ThroughputRatio`] = ratio(r.tokensPerSecond, single.tokensPerSecond);
    results[`c${n}P99Ratio`] = ratio(r.p99Ms, single.p99Ms);
  }
  return results;
}
