/** One hosted process: its spawn info, module, runner, memory, scheduling counters, results. */
import { tagValue } from '../../arweave/tag.js';
import { InputError, describeError } from '../../errors.js';
import type { ProcessInfo } from './ao-message.js';
import { type ParsedItem } from './data-item.js';
import type { LoadedModule, ModuleStore } from './module-store.js';
import { createResultStore, type ResultStore, type StoredResult } from './result-store.js';
import { createWasmRunner, type WasmRunner } from './wasm-runner.js';

export interface ProcessRecord {
  info: ProcessInfo;
  module: LoadedModule;
  runner: WasmRunner;
  dryRunner: WasmRunner | undefined;
  memory: Uint8Array | null;
  /** The last slot evaluated into `memory`, and the last one saved as a checkpoint (-1: none). */
  evaluatedSlot: number;
  evaluatedChain: string;
  checkpointedSlot: number;
  checkpointing: Promise<void>;
  nextSlot: number;
  lastTimestamp: number;
  hashChain: string;
  /** Id of the last slot's Assignment ('' before the first, or for a log older than assignments). */
  lastAssignmentId: string;
  /** Scheduling runs one message of a process at a time: each assignment chains to the one before. */
  scheduling: Promise<void>;
  queue: Promise<void>;
  results: ResultStore;
  waiting: Map<string, Promise<StoredResult>>;
}

export async function createProcessRecord({ item, modules, capacity }: { item: ParsedItem; modules: ModuleStore; capacity: number }): Promise<ProcessRecord> {
  const moduleId = tagValue(item.tags, 'Module');
  if (!moduleId) throw new InputError('the process has no Module tag', { hint: 'spawn with a module id' });
  let module: LoadedModule;
  try {
    module = await modules.load(moduleId);
  } catch (error) {
    throw new InputError(`cannot load module ${moduleId}: ${describeError(error)}`, { cause: error });
  }
  return {
    info: { id: item.id, owner: item.owner, tags: item.tags, moduleId, moduleTags: module.tags },
    module,
    runner: createWasmRunner(module),
    dryRunner: undefined,
    memory: null,
    evaluatedSlot: -1,
    evaluatedChain: '',
    checkpointedSlot: -1,
    checkpointing: Promise.resolve(),
    nextSlot: 0,
    lastTimestamp: 0,
    hashChain: '',
    lastAssignmentId: '',
    scheduling: Promise.resolve(),
    queue: Promise.resolve(),
    results: createResultStore(capacity),
    waiting: new Map(),
  };
}
