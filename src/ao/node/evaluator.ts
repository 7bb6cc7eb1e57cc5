/**
 * The CU's side of the node: evaluate each process's messages in slot order on its runner,
 * report errors and refusals, push the outbox (delivery.ts), hold the result, and checkpoint
 * the memory now and then. A replay (recovery) evaluates the same way, quietly.
 */
import { describeError } from '../../errors.js';
import { buildEnv, buildMessage } from './ao-message.js';
import type { CheckpointStore } from './checkpoints.js';
import { readRawItem, type ParsedItem } from './data-item.js';
import { pushesOf, signPush } from './delivery.js';
import type { EvalTiming, NodeState } from './node-state.js';
import type { ProcessRecord } from './process-record.js';
import type { StoredResult } from './result-store.js';
import type { EvalResult, LogEntry } from './types.js';
import type { WasmRunner } from './wasm-runner.js';

export type Schedule = (item: ParsedItem, pushKey?: string) => Promise<void>;

/** One logged message through a runner, as the CU builds it: the live state or a recomputation. */
export async function runEntry(runner: WasmRunner, memory: Uint8Array | null, record: ProcessRecord, entry: LogEntry) {
  const item = readRawItem(Buffer.from(entry.item, 'base64'));
  const evaluation = await runner.evaluate(memory, buildMessage({ item, entry, process: record.info }), buildEnv(record.info));
  return { item, ...evaluation };
}

/** Saves the process's memory as of its last evaluated slot, in the background, in order. */
export function checkpoint(state: NodeState, checkpoints: CheckpointStore, record: ProcessRecord): void {
  const memory = record.memory;
  if (!memory || record.evaluatedSlot <= record.checkpointedSlot) return;
  const saved = { process: record.info.id, slot: record.evaluatedSlot, hashChain: record.evaluatedChain, moduleHash: record.module.hash, memory };
  record.checkpointedSlot = saved.slot;
  record.checkpointing = record.checkpointing
    .then(() => checkpoints.save(saved))
    .catch((error: unknown) => state.logger.warn(`checkpoint of process ${saved.process} failed (a restart replays more): ${describeError(error)}`));
}

/** Pushes the outbox to the processes hosted here; targets elsewhere stay in the result only. */
async function deliver(state: NodeState, schedule: Schedule, record: ProcessRecord, source: ParsedItem, result: EvalResult): Promise<void> {
  for (const push of pushesOf({ pid: record.info.id, messageId: source.id, messages: result.Messages, spawns: result.Spawns })) {
    if (push.kind === 'message' && !state.processes.has(push.target ?? '')) continue;
    if (state.delivered.has(push.key)) continue;
    state.delivered.add(push.key);
    try {
      await schedule(await signPush({ push, pid: record.info.id, source, signer: state.signer, scheduler: state.address }), push.key);
    } catch (error) {
      state.delivered.delete(push.key);
      state.logger.error(`delivery ${push.key} failed: ${describeError(error)}`);
    }
  }
}

/** A failure says so once: when the message first runs, not again on a replay. */
function report(state: NodeState, record: ProcessRecord, entry: LogEntry, item: ParsedItem, result: EvalResult, replay: boolean): void {
  if (result.Error !== undefined) {
    const line = `process ${record.info.id} slot ${entry.slot}: ${describeError(result.Error)}`;
    if (replay) state.logger.debug(line);
    else state.logger.warn(line);
  } else if (!replay && typeof result.Output === 'string' && result.Output.startsWith('refused')) {
    // A module turning a message away is how a forgery or a misrouted message shows: say so.
    state.logger.warn(`process ${record.info.id} slot ${entry.slot} refused message ${item.id} signed by ${item.owner}: ${result.Output.slice(0, 200)}`);
  }
}

export interface EvaluatorDeps {
  checkpoints: CheckpointStore;
  checkpointEvery: number;
  onEvaluated?: (timing: EvalTiming) => void;
  /** The scheduler's entry point, for pushes (bound late: the scheduler queues evaluations here). */
  schedule: Schedule;
}

export function createEvaluator(state: NodeState, deps: EvaluatorDeps) {
  async function evaluate(record: ProcessRecord, entry: LogEntry, replay: boolean): Promise<StoredResult> {
    const started = performance.now();
    const { item, memory, result } = await runEntry(record.runner, record.memory, record, entry);
    deps.onEvaluated?.({ process: record.info.id, slot: entry.slot, ms: performance.now() - started });
    if (memory) record.memory = memory;
    report(state, record, entry, item, result, replay);
    const stored: StoredResult = { slot: entry.slot, messageId: item.id, timestamp: entry.timestamp, result };
    await deliver(state, deps.schedule, record, item, result);
    // Held only once its outbox is scheduled: a client that has read this result may count on
    // the messages it sent being in their targets' schedules (the pipeline's fast failure does).
    record.results.add(stored);
    // After delivery: a checkpoint never skips a push that a replay would still have to make.
    record.evaluatedSlot = entry.slot;
    record.evaluatedChain = entry.hashChain;
    if (record.evaluatedSlot - record.checkpointedSlot >= deps.checkpointEvery) checkpoint(state, deps.checkpoints, record);
    return stored;
  }

  return {
    /** Queues the entry's evaluation after the process's earlier ones, once `durable` resolves. */
    enqueue(record: ProcessRecord, entry: LogEntry, durable: Promise<void>, replay = false): Promise<StoredResult> {
      const id = readRawItem(Buffer.from(entry.item, 'base64')).id;
      const done = record.queue.then(() => durable).then(() => evaluate(record, entry, replay));
      record.queue = done.then(
        () => undefined,
        (error: unknown) => state.logger.error(`evaluation of ${id} failed: ${describeError(error)}`),
      );
      record.waiting.set(id, done);
      done.then(
        () => record.waiting.delete(id),
        () => record.waiting.delete(id),
      );
      return done;
    },
    checkpoint: (record: ProcessRecord) => checkpoint(state, deps.checkpoints, record),
  };
}

export type Evaluator = ReturnType<typeof createEvaluator>;
