/**
 * What the embedded node's parts (scheduler, evaluator, recovery, queries) share: the hosted
 * processes, the message index, the log, the signer and the node's address. Built once by
 * createAoNode and handed to each part, so each part is a small set of steps over it.
 */
import { type Tag } from '../../arweave/tag.js';
import { InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ItemSigner } from './data-item.js';
import type { MessageLog } from './message-log.js';
import type { ModuleStore } from './module-store.js';
import type { ProcessRecord } from './process-record.js';

export class NotFoundError extends InputError {}

export interface DryRunBody {
  Id: string;
  Owner: string;
  Target: string;
  Anchor?: string;
  Data?: unknown;
  Tags: Tag[];
}

export interface EvalTiming {
  process: string;
  slot: number;
  ms: number;
}

export interface NodeState {
  logger: Logger;
  log: MessageLog;
  modules: ModuleStore;
  /** Signs what the node writes itself: pushed messages, assignments. */
  signer: ItemSigner;
  processes: Map<string, ProcessRecord>;
  /** Every scheduled message: its process and slot (-1 while its slot is being assigned). */
  messageIndex: Map<string, { pid: string; slot: number }>;
  /** Keys of outbox entries already pushed (see delivery.ts). */
  delivered: Set<string>;
  /** The node's wallet address, known once started: the Scheduler and Authority of its processes. */
  address: string;
  /** The Arweave block height stamped on assignments (0 when the gateway cannot say). */
  blockHeight(): Promise<number>;
}

export function recordOf(state: NodeState, pid: string): ProcessRecord {
  const record = state.processes.get(pid);
  if (!record) throw new NotFoundError(`process ${pid} is not on this node`);
  return record;
}
