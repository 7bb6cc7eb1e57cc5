/**
 * A node's start: every process in the log is hosted again, its memory restored from its last
 * local checkpoint when that belongs to this very history and module, and the rest of its log
 * replayed (quietly, pushing only what no log holds yet).
 */
import { describeError } from '../../errors.js';
import { assignmentIdOf } from './assignment.js';
import type { CheckpointStore } from './checkpoints.js';
import { readRawItem, type ParsedItem } from './data-item.js';
import type { Evaluator } from './evaluator.js';
import type { NodeState } from './node-state.js';
import type { ProcessRecord } from './process-record.js';
import type { StoredResult } from './result-store.js';
import type { LogEntry } from './types.js';

export interface RecoveryDeps {
  checkpoints: CheckpointStore;
  createRecord(item: ParsedItem): Promise<ProcessRecord>;
  evaluator: Evaluator;
}

function byProcess(state: NodeState, entries: LogEntry[]): Map<string, LogEntry[]> {
  const lists = new Map<string, LogEntry[]>();
  for (const entry of entries) {
    const list = lists.get(entry.process) ?? [];
    list.push(entry);
    lists.set(entry.process, list);
    if (entry.pushKey) state.delivered.add(entry.pushKey);
  }
  return lists;
}

/** Hosts one process again; returns the entries still to replay (after its checkpoint). */
async function restore(state: NodeState, deps: RecoveryDeps, pid: string, list: LogEntry[]): Promise<LogEntry[]> {
  const first = list[0]!;
  const record = await deps.createRecord(readRawItem(Buffer.from(first.item, 'base64')));
  if (first.moduleHash && first.moduleHash !== record.module.hash) state.logger.warn(`process ${pid}: module binary differs from the one it was spawned with`);
  const last = list[list.length - 1]!;
  record.nextSlot = last.slot + 1;
  record.lastTimestamp = last.timestamp;
  record.hashChain = last.hashChain;
  record.lastAssignmentId = last.assignmentSignature ? assignmentIdOf(last.assignmentSignature) : '';
  state.processes.set(pid, record);
  for (const entry of list) state.messageIndex.set(readRawItem(Buffer.from(entry.item, 'base64')).id, { pid, slot: entry.slot });
  const saved = await deps.checkpoints.load(pid);
  const at = saved ? list.find((entry) => entry.slot === saved.slot) : undefined;
  if (saved && at && at.hashChain === saved.hashChain && saved.moduleHash === record.module.hash) {
    record.memory = saved.memory;
    record.evaluatedSlot = record.checkpointedSlot = saved.slot;
    record.evaluatedChain = saved.hashChain;
    return list.filter((entry) => entry.slot > saved.slot);
  }
  if (saved) state.logger.warn(`process ${pid}: its checkpoint does not match the log; replaying from the spawn`);
  return list;
}

export async function recoverNode(state: NodeState, deps: RecoveryDeps): Promise<void> {
  const toReplay = new Map<string, LogEntry[]>();
  for (const [pid, list] of byProcess(state, await state.log.recover())) {
    if (list[0]?.slot !== 0) {
      state.logger.warn(`AO log of process ${pid} has no spawn entry; skipping it`);
      continue;
    }
    try {
      toReplay.set(pid, await restore(state, deps, pid, list));
    } catch (error) {
      state.logger.error(`cannot recover process ${pid}: ${describeError(error)}`);
    }
  }
  // Queue every replay before awaiting any, so pushes found missing land after the target's replay.
  const replays: Array<Promise<StoredResult>> = [];
  for (const [pid, list] of toReplay) {
    const record = state.processes.get(pid)!;
    for (const entry of list) replays.push(deps.evaluator.enqueue(record, entry, Promise.resolve(), true));
  }
  await Promise.allSettled(replays);
}
