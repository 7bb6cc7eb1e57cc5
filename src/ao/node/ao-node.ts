/**
 * The embedded AO node: MU (accept signed items), SU (scheduler.ts: slot, timestamp, block
 * height, assignment, log) and CU (evaluator.ts: evaluate in slot order, push the outbox, hold
 * results; cu-queries.ts: results, recomputation, dry-run). A process's state is rebuilt on
 * start (recovery.ts) from its last local checkpoint (or its spawn) by replaying its log; outbox
 * pushes are keyed so a replay never sends twice. This file builds the parts over one NodeState.
 */
import { aoNodePaths } from '../../config/paths.js';
import { InputError } from '../../errors.js';
import { walletAddress } from '../../arweave/wallet.js';
import { sha256Hex } from '../../hash.js';
import { createLogger } from '../../logger.js';
import { createCheckpointStore } from './checkpoints.js';
import { createCuQueries } from './cu-queries.js';
import { createItemSigner, parseSignedItem, type ParsedItem } from './data-item.js';
import { createEvaluator } from './evaluator.js';
import { createMessageLog } from './message-log.js';
import { createModuleStore, type PublishOptions } from './module-store.js';
import { recordOf, type EvalTiming, type NodeState } from './node-state.js';
import { createProcessRecord } from './process-record.js';
import { recoverNode } from './recovery.js';
import { schedule } from './scheduler.js';
import { suQueries } from './su-queries.js';
import type { AoNodeDeps } from './types.js';

export { NotFoundError, type DryRunBody, type EvalTiming } from './node-state.js';

/** Reads the block height; 0 when there is no reader or it fails (assignments still go out). */
const heightOrZero = (read: (() => Promise<number>) | undefined) => async () => {
  try {
    return read ? await read() : 0;
  } catch {
    return 0;
  }
};

function createState(deps: AoNodeDeps & { blockHeight?: () => Promise<number> }): NodeState {
  const logger = deps.logger ?? createLogger({ level: 'warn' });
  const log = createMessageLog({
    dataDir: deps.dataDir,
    arweave: deps.arweave,
    privateMode: deps.privateMode ?? true,
    ...(deps.cipher ? { cipher: deps.cipher } : {}),
    ...(deps.pseudonym ? { pseudonym: deps.pseudonym } : {}),
    appName: deps.appName ?? 'permachat',
    logger,
    uploadDelayMs: deps.uploadDelayMs ?? 50,
  });
  const modules = createModuleStore({ arweave: deps.arweave, ...(deps.modules ? { known: deps.modules } : {}) });
  return { logger, log, modules, signer: createItemSigner(deps.wallet), processes: new Map(), messageIndex: new Map(), delivered: new Set(), address: '', blockHeight: heightOrZero(deps.blockHeight) };
}

export function createAoNode(deps: AoNodeDeps & { blockHeight?: () => Promise<number>; onEvaluated?: (timing: EvalTiming) => void }) {
  const state = createState(deps);
  const checkpoints = createCheckpointStore({ dir: aoNodePaths(deps.dataDir).checkpoints, cipher: (deps.privateMode ?? true) ? deps.cipher : undefined });
  const createRecord = (item: ParsedItem) => createProcessRecord({ item, modules: state.modules, capacity: deps.resultsPerProcess ?? 1000 });
  // The evaluator pushes outboxes through the scheduler, which queues evaluations on it.
  const evaluator = createEvaluator(state, { checkpoints, checkpointEvery: deps.checkpointEvery ?? 200, ...(deps.onEvaluated ? { onEvaluated: deps.onEvaluated } : {}), schedule: (item, pushKey) => schedule(state, scheduling, item, pushKey) });
  const scheduling = { createRecord, evaluator };
  let stopped = false;
  const idle = async (): Promise<void> => {
    for (;;) {
      const queues = [...state.processes.values()].map((record) => record.queue);
      await Promise.all(queues);
      if ([...state.processes.values()].every((record, index) => record.queue === queues[index])) return;
    }
  };

  return {
    ...createCuQueries(state),
    ...suQueries(state),
    async start(): Promise<void> {
      // The node's own wallet signs what it pushes: From-Process is trusted only on its items.
      state.address = await walletAddress(deps.wallet);
      await recoverNode(state, { checkpoints, createRecord, evaluator });
    },
    get address() {
      return state.address;
    },
    /** MU: accept a signed data item; resolves when it is scheduled and durable. */
    async submit(body: Uint8Array): Promise<{ id: string }> {
      if (stopped) throw new InputError('the AO node is stopping');
      const item = await parseSignedItem(body);
      await schedule(state, scheduling, item);
      return { id: item.id };
    },
    /** The block height the SU stamps on new assignments. */
    blockHeight: state.blockHeight,
    publishModule: (name: string, bytes: Uint8Array, opts?: PublishOptions) => state.modules.publish(name, bytes, opts),
    processIds: () => [...state.processes.keys()],
    /** Waits until every queued evaluation has run (tests, shutdown). */
    idle,
    /** sha256 of a process's memory, to compare states across restarts. */
    memoryDigest(pid: string): string {
      const memory = recordOf(state, pid).memory;
      return memory ? sha256Hex(memory) : '';
    },
    logRecordIds: () => state.log.recordIds(),
    flush: () => state.log.flush(),
    /** Log entries this node holds that are not on Arweave yet. */
    waitingForArweave: () => state.log.waiting(),
    async stop(): Promise<void> {
      stopped = true;
      await idle();
      for (const record of state.processes.values()) evaluator.checkpoint(record);
      await Promise.all([...state.processes.values()].map((record) => record.checkpointing));
      await state.log.close();
    },
  };
}

export type AoNode = ReturnType<typeof createAoNode>;
