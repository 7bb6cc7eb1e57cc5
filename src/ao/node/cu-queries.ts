/**
 * What the node answers as a CU: one message's result (held, awaited, or recomputed on demand),
 * results in slot order, and dry-runs against a copy of the current state.
 */
import { buildDryRunMessage, buildEnv } from './ao-message.js';
import { runEntry } from './evaluator.js';
import { NotFoundError, recordOf, type DryRunBody, type NodeState } from './node-state.js';
import type { ProcessRecord } from './process-record.js';
import type { ResultsQuery, StoredResult } from './result-store.js';
import type { EvalResult } from './types.js';
import { createWasmRunner } from './wasm-runner.js';

/** Results recomputed for messages no longer held, kept for a second read (newest last). */
const RECOMPUTED_HELD = 100;

export function createCuQueries(state: NodeState) {
  const recomputed = new Map<string, EvalResult>();

  /**
   * The result of a message evaluated before this node's results window (or before a restart),
   * as a CU computes it on demand: the process's log replayed from its spawn through that slot
   * on a separate instance, so the live state and its queue are untouched. Nothing is pushed.
   */
  async function recompute(record: ProcessRecord, messageId: string, slot: number): Promise<EvalResult> {
    const held = recomputed.get(messageId);
    if (held) return held;
    const entries = await state.log.history(record.info.id, slot);
    if (entries.length !== slot + 1) throw new NotFoundError(`the result of ${messageId} cannot be recomputed: the local log lacks ${slot + 1 - entries.length} of its process's first ${slot + 1} messages`);
    const runner = createWasmRunner(record.module);
    let memory: Uint8Array | null = null;
    let result: EvalResult | undefined;
    for (const entry of entries) {
      const evaluation = await runEntry(runner, memory, record, entry);
      if (evaluation.memory) memory = evaluation.memory;
      result = evaluation.result;
    }
    if (!result) throw new NotFoundError(`message ${messageId} is not known for process ${record.info.id}`);
    recomputed.set(messageId, result);
    if (recomputed.size > RECOMPUTED_HELD) recomputed.delete(recomputed.keys().next().value as string);
    return result;
  }

  return {
    /** The result of one message, waiting for its evaluation when queued. */
    async result(pid: string, messageId: string): Promise<EvalResult> {
      const record = recordOf(state, pid);
      const held = record.results.get(messageId);
      if (held) return held.result;
      const waiting = record.waiting.get(messageId);
      if (waiting) return (await waiting).result;
      const known = state.messageIndex.get(messageId);
      if (known?.pid === pid) return recompute(record, messageId, known.slot);
      throw new NotFoundError(`message ${messageId} is not known for process ${pid}`);
    },
    /**
     * Results in slot order. Like the stock CU, which evaluates up to the head of the schedule
     * before it answers, this waits for what was scheduled before the call; so a reader that
     * finds no answer to a message delivered earlier knows none is coming.
     */
    async results(pid: string, query: ResultsQuery): Promise<StoredResult[]> {
      const record = recordOf(state, pid);
      await record.queue;
      return record.results.query(query);
    },
    /** Evaluates a message against a copy of the current state; nothing is kept. */
    async dryRun(pid: string, body: DryRunBody): Promise<EvalResult> {
      const record = recordOf(state, pid);
      await record.queue;
      const msg = buildDryRunMessage({ body, process: record.info, timestamp: Math.max(Date.now(), record.lastTimestamp), blockHeight: await state.blockHeight() });
      record.dryRunner ??= createWasmRunner(record.module);
      const { result } = await record.dryRunner.evaluate(record.memory, msg, buildEnv(record.info));
      return result;
    },
  };
}
