/**
 * The SU's side of the node: give each accepted item its process, slot, strictly increasing
 * timestamp, block height and signed assignment (assignment.ts), log it, and queue its
 * evaluation. A process schedules one message at a time: each assignment chains to the one
 * before it.
 */
import { tagValue } from '../../arweave/tag.js';
import { InputError } from '../../errors.js';
import { firstHashChain, nextHashChain, signAssignment } from './assignment.js';
import { type ParsedItem } from './data-item.js';
import type { Evaluator } from './evaluator.js';
import { NotFoundError, type NodeState } from './node-state.js';
import type { ProcessRecord } from './process-record.js';
import type { LogEntry } from './types.js';

export interface SchedulerDeps {
  createRecord(item: ParsedItem): Promise<ProcessRecord>;
  evaluator: Evaluator;
}

/** The process an item belongs to: a new one for a spawn, a hosted one for a message. */
async function processFor(state: NodeState, deps: SchedulerDeps, item: ParsedItem): Promise<ProcessRecord | undefined> {
  const type = tagValue(item.tags, 'Type');
  if (type === 'Process') {
    const record = await deps.createRecord(item);
    // The same spawn posted twice meanwhile: the first one is scheduled.
    if (state.messageIndex.has(item.id)) return undefined;
    state.processes.set(item.id, record);
    return record;
  }
  if (type === 'Message') {
    const record = state.processes.get(item.target);
    if (!record) throw new NotFoundError(`process ${item.target || '(no target)'} is not on this node`, { hint: 'spawn it here first, or send to its own network' });
    return record;
  }
  throw new InputError(`unsupported data item Type "${type ?? ''}"`, { hint: 'use Type=Process or Type=Message' });
}

/** Slot, timestamp, assignment and log entry for one message (one at a time per process). */
async function assign(state: NodeState, deps: SchedulerDeps, record: ProcessRecord, item: ParsedItem, indexed: { slot: number }, pushKey: string | undefined): Promise<void> {
  const height = await state.blockHeight();
  const slot = record.nextSlot;
  // Strictly increasing per process, as the SU's contract says: two messages in the same
  // millisecond would otherwise share a timestamp (seen under load).
  const timestamp = Math.max(Date.now(), record.lastTimestamp + 1);
  const hashChain = slot === 0 ? firstHashChain(record.info.id) : nextHashChain({ assignmentId: record.lastAssignmentId, hashChain: record.hashChain });
  const assignment = await signAssignment(state.signer, { processId: record.info.id, messageId: item.id, slot, timestamp, blockHeight: height, hashChain });
  record.nextSlot = slot + 1;
  record.lastTimestamp = timestamp;
  record.hashChain = hashChain;
  record.lastAssignmentId = assignment.id;
  indexed.slot = slot;
  const entry: LogEntry = {
    v: 1,
    process: record.info.id,
    slot,
    timestamp,
    blockHeight: height,
    hashChain,
    item: Buffer.from(item.raw).toString('base64'),
    assignmentSignature: assignment.signature,
    ...(pushKey ? { pushKey } : {}),
    ...(slot === 0 ? { moduleHash: record.module.hash } : {}),
  };
  const durable = state.log.append(entry);
  void deps.evaluator.enqueue(record, entry, durable);
  await durable;
}

/** Schedules an item; resolves once it is durable in the log (its evaluation is queued). */
export async function schedule(state: NodeState, deps: SchedulerDeps, item: ParsedItem, pushKey?: string): Promise<void> {
  if (state.messageIndex.has(item.id)) return;
  const record = await processFor(state, deps, item);
  if (!record) return;
  // Known before any await, so the same item posted twice meanwhile is scheduled once.
  const indexed = { pid: record.info.id, slot: -1 };
  state.messageIndex.set(item.id, indexed);
  const logged = record.scheduling.then(() => assign(state, deps, record, item, indexed, pushKey));
  record.scheduling = logged.then(
    () => undefined,
    () => undefined,
  );
  try {
    await logged;
  } catch (error) {
    // Not scheduled: the same item may be posted again.
    state.messageIndex.delete(item.id);
    throw error;
  }
}
