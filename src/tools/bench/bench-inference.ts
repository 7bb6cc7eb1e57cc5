/**
 * Inference throughput: 1, 4 (and 16) simultaneous conversations on one loaded model (batched
 * sequences) against one at a time; and the decode rate alone (tokens after the first, per
 * second of generating them, summed over the conversations running together).
 */
import type { LanguageModel } from '../../inference/types.js';
import { mean, percentile, ratio, round } from './stats.js';

export async function benchConcurrency(deps: { model: LanguageModel; levels: number[]; maxTokens: number }) {
  const run = async (n: number) => {
    const latencies: number[] = [];
    const decodeRates: number[] = [];
    let tokens = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const t0 = performance.now();
        const result = await deps.model.generate({ messages: [{ role: 'user', content: `conversation ${i}: tell me about the weather and the sea` }], maxTokens: deps.maxTokens, temperature: 0.7, seed: i });
        latencies.push(performance.now() - t0);
        tokens += result.tokens;
        if (result.firstTokenMs !== undefined && result.tokens > 1) decodeRates.push(((result.tokens - 1) * 1000) / (result.totalMs - result.firstTokenMs));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { tokensPerSecond: tokens / seconds, decodeTokensPerSecond: decodeRates.reduce((a, b) => a + b, 0), p99Ms: percentile(latencies, 99), meanMs: mean(latencies) };
  };
  const results: Record<string, number> = {};
  const single = await run(1);
  for (const n of deps.levels) {
    const r = n === 1 ? single : await run(n);
    results[`c${n}TokensPerSecond`] = round(r.tokensPerSecond, 1);
    results[`c${n}DecodeTokensPerSecond`] = round(r.decodeTokensPerSecond, 1);
    results[`c${n}P99Ms`] = round(r.p99Ms);
    results[`c${n}ThroughputRatio`] = ratio(r.tokensPerSecond, single.tokensPerSecond);
    results[`c${n}DecodeRatio`] = ratio(r.decodeTokensPerSecond, single.decodeTokensPerSecond);
    results[`c${n}P99Ratio`] = ratio(r.p99Ms, single.p99Ms);
  }
  return results;
}
