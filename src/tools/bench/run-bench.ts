/**
 * `permachat bench`: every figure measured in one run, side by side with its baseline. Runs on
 * its own scratch DATA_DIR (embedded Arweave and AO node) so it never touches the user's memory
 * (only the real-shape model file is kept, under DATA_DIR/models/test, to be reused).
 */
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../config/config.js';
import { createRuntime } from '../../app/runtime.js';
import { deriveKeyed } from '../../app/keyed-secrets.js';
import { createLlamaCppModel } from '../../inference/llama-cpp.js';
import { writeTestModel } from '../test-model/test-model.js';
import type { Logger } from '../../logger.js';
import { loadOrCreateWallet } from '../../arweave/wallet.js';
import { benchAo } from './bench-ao.js';
import { benchConcurrency } from './bench-inference.js';
import { benchLatency, latencyProbe } from './bench-latency.js';
import { benchMemory } from './bench-memory.js';
import { benchStartup } from './bench-startup.js';

export interface BenchOptions {
  /** A GGUF model (the real-shape test model, or one given with --model); the tiny test model when absent. */
  modelPath?: string;
  /** What the model is, for the report. */
  modelShape: string;
  /** How many conversations at once the throughput figures compare. */
  levels: number[];
  /** Web conversations answered at once while resident memory is sampled. */
  startupConversations: number;
  /** Tokens of context per sequence: a real-size model's KV cache is large (112 KiB a token for Qwen3-1.7B). */
  contextSize: number;
  aoMessages: number;
  memoryTurns: number;
  maxTokens: number;
  scratchDir: string;
  threads: number;
}

export async function runBench(opts: BenchOptions, logger: Logger, progress: (line: string) => void) {
  await rm(opts.scratchDir, { recursive: true, force: true });
  await mkdir(opts.scratchDir, { recursive: true });
  const modelPath = opts.modelPath ?? path.join(opts.scratchDir, 'tiny.gguf');
  if (!opts.modelPath) await writeTestModel(modelPath, 'tiny');
  const sequences = Math.max(4, ...opts.levels);
  // The bench's own master key: the runtime hands its key to no one, and the AO and memory figures need one.
  const masterKey = new Uint8Array(32).fill(9);
  const env = {
    DATA_DIR: path.join(opts.scratchDir, 'data'), MODEL_PATH: modelPath, LLM_THREADS: String(opts.threads),
    LLM_MAX_TOKENS: String(opts.maxTokens), LLM_SEQUENCES: String(sequences), LLM_CONTEXT_SIZE: String(opts.contextSize), MEMORY_KEY: Buffer.from(masterKey).toString('base64'),
  };
  const config: Config = loadConfig(env, {}, opts.scratchDir);

  const model = await createLlamaCppModel({ modelPath, gpu: config.LLM_GPU, threads: opts.threads, contextSize: opts.contextSize, sequences });
  const probe = latencyProbe(model);
  const runtime = await createRuntime(config, logger, { cwd: process.cwd(), model: probe });
  try {
    progress('time to first token: turns 1 and 10 of a conversation vs the old way');
    const latency = await benchLatency({ conversation: runtime.conversation, memory: runtime.memory, probe, text: (turn) => `benchmark turn ${turn}: how is the sea today? I was thinking of going out for a sail this afternoon.` });
    progress(`concurrency: ${opts.levels.join(', ')} conversations`);
    const concurrency = await benchConcurrency({ model, levels: opts.levels, maxTokens: opts.maxTokens });
    progress('AO evaluation: node vs direct');
    const keyed = await deriveKeyed(masterKey);
    const wallet = await loadOrCreateWallet(path.join(opts.scratchDir, 'bench-wallet.json'));
    const ao = await benchAo({ dataDir: opts.scratchDir, arweave: runtime.arweave, wallet, keyed, logger, messages: opts.aoMessages });
    progress(`memory: ${opts.memoryTurns} turns`);
    const memory = await benchMemory({ dataDir: opts.scratchDir, arweave: runtime.arweave, masterKey, logger, turns: opts.memoryTurns });
    await runtime.close();
    progress('start-up and resident memory');
    // The service as `npm start` runs it: its default sequences and context, not the bench's 16.
    const { LLM_SEQUENCES: _sequences, LLM_CONTEXT_SIZE: _context, ...serviceEnv } = env;
    const startup = await benchStartup({ env: { ...serviceEnv, DATA_DIR: path.join(opts.scratchDir, 'startup') }, conversations: opts.startupConversations });
    return {
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, gpu: model.gpu || 'none', model: path.basename(modelPath), modelShape: opts.modelShape, threads: opts.threads },
      latency,
      concurrency,
      ao,
      memory,
      startup,
    };
  } finally {
    await runtime.close().catch(() => undefined);
    await model.close();
  }
}

export type BenchResult = Awaited<ReturnType<typeof runBench>>;

/** A plain table: one row per figure, with its baseline and their ratio. */
export function formatBench(result: BenchResult): string {
  const rows: Array<[string, string, string, string]> = [];
  const add = (figure: string, value: number | string, baseline: number | string, r: number | string) => rows.push([figure, String(value), String(baseline), String(r)]);
  const { latency: l, concurrency: c, ao, memory: m, startup: s } = result;
  add('turn 1 time to first token (ms), vs the old way', l.turn1TtftMs, l.turn1OldWayTtftMs, l.turn1TtftRatio);
  add('turn 10 time to first token (ms), vs same prompt in full the old way', l.turn10TtftMs, l.turn10OldWayTtftMs, l.turn10TtftRatio);
  add('turn 10 tokens evaluated vs new since turn 9\'s reply', l.turn10EvaluatedTokens, l.turn10NewTokens, l.followUpEvaluatedTokensRatio);
  const levels = Object.keys(c).flatMap((key) => /^c(\d+)TokensPerSecond$/.exec(key)?.[1] ?? []);
  for (const n of levels) {
    add(`${n} conversations: tokens/s vs 1 at a time`, c[`c${n}TokensPerSecond`] ?? '', c.c1TokensPerSecond ?? '', c[`c${n}ThroughputRatio`] ?? '');
    add(`${n} conversations: decode tokens/s vs 1 at a time`, c[`c${n}DecodeTokensPerSecond`] ?? '', c.c1DecodeTokensPerSecond ?? '', c[`c${n}DecodeRatio`] ?? '');
    add(`${n} conversations: p99 latency (ms) vs 1`, c[`c${n}P99Ms`] ?? '', c.c1P99Ms ?? '', c[`c${n}P99Ratio`] ?? '');
  }
  add('AO eval p50 (ms), node vs ao-loader direct', ao.nodeEvalP50Ms, ao.directEvalP50Ms, ao.evalP50Ratio);
  add('AO eval p99 (ms), node vs direct', ao.nodeEvalP99Ms, ao.directEvalP99Ms, ao.evalP99Ratio);
  add('AO messages/s (send+result) vs direct eval', ao.nodeMessagesPerSecond, ao.directMessagesPerSecond, ao.throughputRatio);
  add('AO messages/s, 50 in flight vs one at a time (2 processes)', ao.concurrent50MessagesPerSecond, ao.sequentialMessagesPerSecond, ao.concurrent50Ratio);
  add(`AO node restart (ms), local state vs Arweave only, ${ao.messages} msgs`, ao.restartLocalMs, ao.restartFromArweaveMs, ao.restartRatio);
  add('encryption MB/s, XChaCha20-Poly1305 vs AES-256-GCM', m.encryptMBps, m.aesGcmBaselineMBps, m.encryptRatio);
  add('outbox writes/s vs plain fsync writes', m.outboxWritesPerSecond, m.plainFsyncWritesPerSecond, m.outboxWriteRatio);
  add(`recall (ms), cold cache vs warm, ${m.turns} turns`, m.recallColdMs, m.recallWarmMs, m.recallColdToWarmRatio);
  add(`recall (ms), cold from Arweave, ${m.recallColdLargeTurns} turns vs ${m.turns}`, m.recallColdLargeMs, m.recallColdMs, m.recallColdLargeToColdRatio);
  add('start to ready (ms) vs bare node', s.startToReadyMs, s.bareNodeStartMs, s.startupRatio);
  add(`resident memory (MB), ${s.conversations} conversations vs idle`, s.rssUnderLoadMb, s.rssIdleMb, s.rssLoadToIdleRatio);
  const header: [string, string, string, string] = ['figure', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const m0 = result.machine;
  return [
    `machine: ${m0.cpus} × ${m0.cpuModel}, ${m0.memoryGb} GiB, Node ${m0.node}, GPU: ${m0.gpu}, threads: ${m0.threads}`,
    `model: ${m0.model} (${m0.modelShape})`,
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
