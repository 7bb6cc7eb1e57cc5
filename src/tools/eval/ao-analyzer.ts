/**
 * Runs one of our analysis modules the way the AO node does: the wasm bytes under
 * @permaweb/ao-loader, one loader instance, the Memory from each call passed to the next,
 * one `Action = Analyze` message per text, the JSON `Data` of the `Action = Analyzed` reply.
 */
import { sha256Hex } from '../../hash.js';
import type { EvalResult } from '../../ao/node/types.js';
import { createWasmRunner } from '../../ao/node/wasm-runner.js';
import { PermachatError } from '../../errors.js';
import { tagValue, type Tag } from '../../arweave/tag.js';


export interface AnalyzerOptions {
  format?: string;
  /** Bytes; 16 MiB matches the Memory-Limit tag our modules are published with. */
  memoryLimit?: number;
  computeLimit?: number;
}

export interface AoAnalyzer {
  /** The parsed `Data` of the Analyzed reply; throws ModuleAnswerError when there is none. */
  analyze(text: string): Promise<unknown>;
}

/** The module ran but did not answer as the protocol says (error, no reply, bad JSON). */
export class ModuleAnswerError extends PermachatError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('MODULE_ANSWER', message, { ...options, hint: 'check the module against the Analyze/Analyzed protocol' });
  }
}

const PROCESS = 'eval-process-000000000000000000000000000000000';
const OWNER = 'eval-owner-00000000000000000000000000000000000';

function analyzeMessage(text: string, index: number): Record<string, unknown> {
  const tags: Tag[] = [{ name: 'Action', value: 'Analyze' }];
  return {
    Id: `eval-message-${index}`,
    Target: PROCESS,
    Owner: OWNER,
    From: OWNER,
    'Block-Height': '1',
    Timestamp: String(1_700_000_000_000 + index),
    Module: 'eval-module',
    Cron: false,
    Tags: tags,
    Data: text,
  };
}

const ENV = {
  Process: { Id: PROCESS, Owner: OWNER, Tags: [{ name: 'Type', value: 'Process' }] },
  Module: { Id: 'eval-module', Tags: [{ name: 'Module-Format', value: 'wasm32-unknown-emscripten4' }] },
};

/** The runner's result: Error only when the module reported one, Messages always an array. */
function analyzedData(result: EvalResult): unknown {
  if (result.Error !== undefined) throw new ModuleAnswerError(`the module reported an error: ${JSON.stringify(result.Error)}`);
  // The runner has read the outbox with the protocol's schema: its tags are well-formed.
  const reply = result.Messages.find((m) => tagValue(m.Tags, 'Action') === 'Analyzed');
  if (!reply) throw new ModuleAnswerError('no message with Action = Analyzed came back');
  const data = reply.Data;
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch (cause) {
    throw new ModuleAnswerError(`the Analyzed Data is not JSON: ${data.slice(0, 80)}`, { cause });
  }
}

export async function createAoAnalyzer(bytes: Uint8Array, options: AnalyzerOptions = {}): Promise<AoAnalyzer> {
  const format = options.format ?? 'wasm32-unknown-emscripten4';
  const tags: Tag[] = [
    { name: 'Module-Format', value: format },
    { name: 'Memory-Limit', value: String(options.memoryLimit ?? 16 * 1024 * 1024) },
    { name: 'Compute-Limit', value: String(options.computeLimit ?? 9e12) },
  ];
  const runner = createWasmRunner({ id: 'eval-module', bytes, tags, format, hash: sha256Hex(bytes) });
  let memory: Uint8Array | null = null;
  let count = 0;
  return {
    async analyze(text) {
      count += 1;
      const { memory: next, result } = await runner.evaluate(memory, analyzeMessage(text, count), ENV);
      const data = analyzedData(result);
      // Only a successful call moves the state on, as on the AO node.
      if (next) memory = next;
      return data;
    },
  };
}
