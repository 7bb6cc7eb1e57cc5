/**
 * The embedded AO node's core: MU (accept signed items), SU (slot, timestamp, block height,
 * log) and CU (evaluate in slot order, hold results, dry-run). A process's state is rebuilt
 * on start from its last local checkpoint (or its spawn) by replaying its log; outbox pushes
 * are keyed so a replay never sends twice.
 */
import path from 'node:path';
import { InputError, describeError } from '../../errors.js';
import { walletAddress } from '../../arweave/wallet.js';
import { createLogger } from '../../logger.js';
import { buildDryRunMessage, buildEnv, buildMessage } from './ao-message.js';
import { assignmentIdOf, firstHashChain, nextHashChain, rebuildAssignment, signAssignment } from './assignment.js';
import { createCheckpointStore } from './checkpoints.js';
import { createItemSigner, parseSignedItem, readRawItem, tagValue, type ParsedItem } from './data-item.js';
import { pushesOf, signPush } from './delivery.js';
import { createMessageLog } from './message-log.js';
import { sha256Hex } from '../../hash.js';
import { createModuleStore, type PublishOptions } from './module-store.js';
import { createProcessRecord, type ProcessRecord } from './process-record.js';
import type { ResultsQuery, StoredResult } from './result-store.js';
import type { AoNodeDeps, EvalResult, LogEntry, Tag } from './types.js';
import { createWasmRunner, type WasmRunner } from './wasm-runner.js';

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

const RECOMPUTED_HELD = 100;

export function createAoNode(deps: AoNodeDeps & { blockHeight?: () => Promise<number>; onEvaluated?: (timing: EvalTiming) => void }) {
  const logger = deps.logger ?? createLogger({ level: 'warn' });
  const privateMode = deps.privateMode ?? true;
  const log = createMessageLog({
    dataDir: deps.dataDir,
    arweave: deps.arweave,
    privateMode,
    ...(deps.cipher ? { cipher: deps.cipher } : {}),
    ...(deps.pseudonym ? { pseudonym: deps.pseudonym } : {}),
    appName: deps.appName ?? 'permachat',
    logger,
    uploadDelayMs: deps.uploadDelayMs ?? 50,
  });
  const modules = createModuleStore({ arweave: deps.arweave, ...(deps.modules ? { known: deps.modules } : {}) });
  const signer = createItemSigner(deps.wallet);
  const processes = new Map<string, ProcessRecord>();
  const messageIndex = new Map<string, { pid: string; slot: number }>();
  /** Results recomputed for messages no longer held (newest last), bounded. */
  const recomputed = new Map<string, EvalResult>();
  const delivered = new Set<string>();
  const capacity = deps.resultsPerProcess ?? 1000;
  const checkpointEvery = deps.checkpointEvery ?? 200;
  const checkpoints = createCheckpointStore({ dir: path.join(deps.dataDir, 'checkpoints'), cipher: privateMode ? deps.cipher : undefined });
  let nodeAddress = '';
  let stopped = false;

  const createRecord = (item: ParsedItem) => createProcessRecord({ item, modules, capacity });

  /** One logged message through a runner, as the CU builds it: the live state or a recomputation. */
  async function run(runner: WasmRunner, memory: Uint8Array | null, record: ProcessRecord, entry: LogEntry) {
    const item = readRawItem(Buffer.from(entry.item, 'base64'));
    const evaluation = await runner.evaluate(memory, buildMessage({ item, entry, process: record.info }), buildEnv(record.info));
    return { item, ...evaluation };
  }

  async function evaluate(record: ProcessRecord, entry: LogEntry, replay: boolean): Promise<StoredResult> {
    const started = performance.now();
    const { item, memory, result } = await run(record.runner, record.memory, record, entry);
    deps.onEvaluated?.({ process: record.info.id, slot: entry.slot, ms: performance.now() - started });
    if (memory) record.memory = memory;
    if (result.Error !== undefined) {
      // A replayed failure was already reported when the message first ran.
      const line = `process ${record.info.id} slot ${entry.slot}: ${describeError(result.Error)}`;
      if (replay) logger.debug(line);
      else logger.warn(line);
    } else if (!replay && typeof result.Output === 'string' && result.Output.startsWith('refused')) {
      // A module turning a message away is how a forgery or a misrouted message shows: say so.
      logger.warn(`process ${record.info.id} slot ${entry.slot} refused message ${item.id} signed by ${item.owner}: ${result.Output.slice(0, 200)}`);
    }
    const stored: StoredResult = { slot: entry.slot, messageId: item.id, timestamp: entry.timestamp, result };
    await deliver(record, item, result);
    // Held only once its outbox is scheduled: a client that has read this result may count on
    // the messages it sent being in their targets' schedules (the pipeline's fast failure does).
    record.results.add(stored);
    // After delivery: a checkpoint never skips a push that a replay would still have to make.
    record.evaluatedSlot = entry.slot;
    record.evaluatedChain = entry.hashChain;
    if (record.evaluatedSlot - record.checkpointedSlot >= checkpointEvery) checkpoint(record);
    return stored;
  }

  /** Saves the process's memory as of its last evaluated slot, in the background, in order. */
  function checkpoint(record: ProcessRecord): void {
    const memory = record.memory;
    if (!memory || record.evaluatedSlot <= record.checkpointedSlot) return;
    const saved = { process: record.info.id, slot: record.evaluatedSlot, hashChain: record.evaluatedChain, moduleHash: record.module.hash, memory };
    record.checkpointedSlot = saved.slot;
    record.checkpointing = record.checkpointing
      .then(() => checkpoints.save(saved))
      .catch((error: unknown) => logger.warn(`checkpoint of process ${saved.process} failed (a restart replays more): ${describeError(error)}`));
  }

  async function deliver(record: ProcessRecord, source: ParsedItem, result: EvalResult): Promise<void> {
    for (const push of pushesOf({ pid: record.info.id, messageId: source.id, messages: result.Messages, spawns: result.Spawns })) {
      // Targets elsewhere stay in the result only: whoever reads /result or /results carries them.
      if (push.kind === 'message' && !processes.has(push.target ?? '')) continue;
      if (delivered.has(push.key)) continue;
      delivered.add(push.key);
      try {
        const item = await signPush({ push, pid: record.info.id, source, signer, scheduler: nodeAddress });
        await schedule(item, push.key);
      } catch (error) {
        delivered.delete(push.key);
        logger.error(`delivery ${push.key} failed: ${describeError(error)}`);
      }
    }
  }

  function enqueue(record: ProcessRecord, entry: LogEntry, durable: Promise<void>, replay = false): Promise<StoredResult> {
    const id = readRawItem(Buffer.from(entry.item, 'base64')).id;
    const done = record.queue.then(() => durable).then(() => evaluate(record, entry, replay));
    record.queue = done.then(
      () => undefined,
      (error: unknown) => logger.error(`evaluation of ${id} failed: ${describeError(error)}`),
    );
    record.waiting.set(id, done);
    done.then(
      () => record.waiting.delete(id),
      () => record.waiting.delete(id),
    );
    return done;
  }

  async function blockHeight(): Promise<number> {
    try {
      return deps.blockHeight ? await deps.blockHeight() : 0;
    } catch {
      return 0;
    }
  }

  /** SU: give the item its slot and assignment, log it, queue its evaluation. */
  async function schedule(item: ParsedItem, pushKey?: string): Promise<void> {
    if (messageIndex.has(item.id)) return;
    const type = tagValue(item.tags, 'Type');
    let record: ProcessRecord | undefined;
    if (type === 'Process') {
      record = await createRecord(item);
      if (messageIndex.has(item.id)) return;
      processes.set(item.id, record);
    } else if (type === 'Message') {
      record = processes.get(item.target);
      if (!record) throw new NotFoundError(`process ${item.target || '(no target)'} is not on this node`, { hint: 'spawn it here first, or send to its own network' });
    } else {
      throw new InputError(`unsupported data item Type "${type ?? ''}"`, { hint: 'use Type=Process or Type=Message' });
    }
    // Known before any await, so the same item posted twice meanwhile is scheduled once.
    const indexed = { pid: record.info.id, slot: -1 };
    messageIndex.set(item.id, indexed);
    const target = record;
    const logged = target.scheduling.then(() => assign(target, item, indexed, pushKey));
    target.scheduling = logged.then(
      () => undefined,
      () => undefined,
    );
    try {
      await logged;
    } catch (error) {
      // Not scheduled: the same item may be posted again.
      messageIndex.delete(item.id);
      throw error;
    }
  }

  /** One message at a time per process (see ProcessRecord.scheduling): slot, timestamp, assignment, log. */
  async function assign(record: ProcessRecord, item: ParsedItem, indexed: { slot: number }, pushKey: string | undefined): Promise<void> {
    const height = await blockHeight();
    const slot = record.nextSlot;
    // Strictly increasing per process, as the SU's contract says: two messages in the same
    // millisecond would otherwise share a timestamp (seen under load).
    const timestamp = Math.max(Date.now(), record.lastTimestamp + 1);
    const hashChain = slot === 0 ? firstHashChain(record.info.id) : nextHashChain({ assignmentId: record.lastAssignmentId, hashChain: record.hashChain });
    const assignment = await signAssignment(signer, { processId: record.info.id, messageId: item.id, slot, timestamp, blockHeight: height, hashChain });
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
    const durable = log.append(entry);
    void enqueue(record, entry, durable);
    await durable;
  }

  async function recover(): Promise<void> {
    const entries = await log.recover();
    const byProcess = new Map<string, LogEntry[]>();
    for (const entry of entries) {
      const list = byProcess.get(entry.process) ?? [];
      list.push(entry);
      byProcess.set(entry.process, list);
      if (entry.pushKey) delivered.add(entry.pushKey);
    }
    for (const [pid, list] of byProcess) {
      const first = list[0];
      if (!first || first.slot !== 0) {
        logger.warn(`AO log of process ${pid} has no spawn entry; skipping it`);
        continue;
      }
      try {
        const spawn = readRawItem(Buffer.from(first.item, 'base64'));
        const record = await createRecord(spawn);
        if (first.moduleHash && first.moduleHash !== record.module.hash) logger.warn(`process ${pid}: module binary differs from the one it was spawned with`);
        const last = list[list.length - 1]!;
        record.nextSlot = last.slot + 1;
        record.lastTimestamp = last.timestamp;
        record.hashChain = last.hashChain;
        record.lastAssignmentId = last.assignmentSignature ? assignmentIdOf(last.assignmentSignature) : '';
        processes.set(pid, record);
        for (const entry of list) messageIndex.set(readRawItem(Buffer.from(entry.item, 'base64')).id, { pid, slot: entry.slot });
        // Start from the checkpoint when it belongs to this very history and module.
        const saved = await checkpoints.load(pid);
        const at = saved ? list.find((entry) => entry.slot === saved.slot) : undefined;
        if (saved && at && at.hashChain === saved.hashChain && saved.moduleHash === record.module.hash) {
          record.memory = saved.memory;
          record.evaluatedSlot = record.checkpointedSlot = saved.slot;
          record.evaluatedChain = saved.hashChain;
          byProcess.set(pid, list.filter((entry) => entry.slot > saved.slot));
        } else if (saved) {
          logger.warn(`process ${pid}: its checkpoint does not match the log; replaying from the spawn`);
        }
      } catch (error) {
        logger.error(`cannot recover process ${pid}: ${describeError(error)}`);
        byProcess.delete(pid);
      }
    }
    // Queue every replay before awaiting any, so pushes found missing land after the target's replay.
    const replays: Array<Promise<StoredResult>> = [];
    for (const [pid, list] of byProcess) {
      const record = processes.get(pid);
      if (!record) continue;
      for (const entry of list) replays.push(enqueue(record, entry, Promise.resolve(), true));
    }
    await Promise.allSettled(replays);
  }

  /**
   * The result of a message evaluated before this node's results window (or before a restart),
   * as a CU computes it on demand: the process's log replayed from its spawn through that slot
   * on a separate instance, so the live state and its queue are untouched. Nothing is pushed.
   */
  async function recompute(record: ProcessRecord, messageId: string, slot: number): Promise<EvalResult> {
    const held = recomputed.get(messageId);
    if (held) return held;
    const entries = await log.history(record.info.id, slot);
    if (entries.length !== slot + 1) throw new NotFoundError(`the result of ${messageId} cannot be recomputed: the local log lacks ${slot + 1 - entries.length} of its process's first ${slot + 1} messages`);
    const runner = createWasmRunner(record.module);
    let memory: Uint8Array | null = null;
    let result: EvalResult | undefined;
    for (const entry of entries) {
      const evaluation = await run(runner, memory, record, entry);
      if (evaluation.memory) memory = evaluation.memory;
      result = evaluation.result;
    }
    if (!result) throw new NotFoundError(`message ${messageId} is not known for process ${record.info.id}`);
    recomputed.set(messageId, result);
    if (recomputed.size > RECOMPUTED_HELD) recomputed.delete(recomputed.keys().next().value as string);
    return result;
  }

  function recordOf(pid: string): ProcessRecord {
    const record = processes.get(pid);
    if (!record) throw new NotFoundError(`process ${pid} is not on this node`);
    return record;
  }

  return {
    async start(): Promise<void> {
      // The node's own wallet signs what it pushes: From-Process is trusted only on its items.
      nodeAddress = await walletAddress(deps.wallet);
      await recover();
    },
    get address() {
      return nodeAddress;
    },
    /** MU: accept a signed data item; resolves when it is scheduled and durable. */
    async submit(body: Uint8Array): Promise<{ id: string }> {
      if (stopped) throw new InputError('the AO node is stopping');
      const item = await parseSignedItem(body);
      await schedule(item);
      return { id: item.id };
    },
    /** CU: the result of one message, waiting for its evaluation when queued. */
    async result(pid: string, messageId: string): Promise<EvalResult> {
      const record = recordOf(pid);
      const held = record.results.get(messageId);
      if (held) return held.result;
      const waiting = record.waiting.get(messageId);
      if (waiting) return (await waiting).result;
      const known = messageIndex.get(messageId);
      if (known?.pid === pid) return recompute(record, messageId, known.slot);
      throw new NotFoundError(`message ${messageId} is not known for process ${pid}`);
    },
    /**
     * CU: results in slot order. Like the stock CU, which evaluates up to the head of the
     * schedule before it answers, this waits for what was scheduled before the call; so a
     * reader that finds no answer to a message delivered earlier knows none is coming.
     */
    async results(pid: string, query: ResultsQuery): Promise<StoredResult[]> {
      const record = recordOf(pid);
      await record.queue;
      return record.results.query(query);
    },
    /** CU: evaluate a message against a copy of the current state; nothing is kept. */
    async dryRun(pid: string, body: DryRunBody): Promise<EvalResult> {
      const record = recordOf(pid);
      await record.queue;
      const msg = buildDryRunMessage({ body, process: record.info, timestamp: Math.max(Date.now(), record.lastTimestamp), blockHeight: await blockHeight() });
      record.dryRunner ??= createWasmRunner(record.module);
      const { result } = await record.dryRunner.evaluate(record.memory, msg, buildEnv(record.info));
      return result;
    },
    /**
     * SU: a process's schedule as logged, in slot order (each entry with its message and
     * assignment). Read from the journal, so it holds across restarts; waits for what is being
     * scheduled now.
     */
    async scheduled(pid: string): Promise<LogEntry[]> {
      const record = recordOf(pid);
      await record.scheduling;
      return log.history(pid, record.nextSlot - 1);
    },
    hasProcess: (pid: string) => processes.has(pid),
    /** SU: the assignment item of a logged entry (undefined for a log older than assignments). */
    async assignmentOf(entry: LogEntry): Promise<ParsedItem | undefined> {
      if (!entry.assignmentSignature) return undefined;
      const messageId = readRawItem(Buffer.from(entry.item, 'base64')).id;
      const input = { processId: entry.process, messageId, slot: entry.slot, timestamp: entry.timestamp, blockHeight: entry.blockHeight, hashChain: entry.hashChain };
      return rebuildAssignment(signer, input, entry.assignmentSignature);
    },
    /** The slot a message holds in a process's schedule, if it is scheduled there. */
    slotOf(pid: string, messageId: string): number | undefined {
      const known = messageIndex.get(messageId);
      return known?.pid === pid && known.slot >= 0 ? known.slot : undefined;
    },
    /** The block height the SU stamps on new assignments. */
    blockHeight,
    publishModule: (name: string, bytes: Uint8Array, opts?: PublishOptions) => modules.publish(name, bytes, opts),
    /** Process ids hosted here. */
    processIds: () => [...processes.keys()],
    /** Waits until every queued evaluation has run (tests, shutdown). */
    async idle(): Promise<void> {
      for (;;) {
        const queues = [...processes.values()].map((record) => record.queue);
        await Promise.all(queues);
        if ([...processes.values()].every((record, index) => record.queue === queues[index])) return;
      }
    },
    /** sha256 of each process's memory, to compare states across restarts. */
    memoryDigest(pid: string): string {
      const memory = recordOf(pid).memory;
      return memory ? sha256Hex(memory) : '';
    },
    logRecordIds: () => log.recordIds(),
    flush: () => log.flush(),
    /** Log records this node holds that are not on Arweave yet. */
    waitingForArweave: () => log.waiting(),
    async stop(): Promise<void> {
      stopped = true;
      await this.idle();
      for (const record of processes.values()) checkpoint(record);
      await Promise.all([...processes.values()].map((record) => record.checkpointing));
      await log.close();
    },
  };
}

export type AoNode = ReturnType<typeof createAoNode>;
