/**
 * Runs one of our analysis modules the way the AO node does: the wasm bytes under
 * @permaweb/ao-loader, one loader instance, the Memory from each call passed to the next,
 * one `Action = Analyze` message per text, the JSON `Data` of the `Action = Analyzed` reply.
 */
import AoLoader from '@permaweb/ao-loader';
import { PermachatError } from '../errors.js';

type Tag = { name: string; value: string };
type Handle = (memory: ArrayBuffer | Uint8Array | null, msg: object, env: object) => Promise<unknown>;

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Tags arrive as [{name, value}] from the loader; a plain object is accepted too. */
function tagValue(tags: unknown, name: string): string | undefined {
  if (Array.isArray(tags)) {
    for (const tag of tags) {
      if (isRecord(tag) && tag.name === name && typeof tag.value === 'string') return tag.value;
    }
    return undefined;
  }
  if (isRecord(tags) && typeof tags[name] === 'string') return tags[name];
  return undefined;
}

const PROCESS = 'eval-process-000000000000000000000000000000000';
const OWNER = 'eval-owner-00000000000000000000000000000000000';

function analyzeMessage(text: string, index: number): object {
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

function analyzedData(raw: unknown): unknown {
  if (!isRecord(raw)) throw new ModuleAnswerError('the loader returned no result object');
  if (raw.Error !== undefined && raw.Error !== null && raw.Error !== '') {
    throw new ModuleAnswerError(`the module reported an error: ${JSON.stringify(raw.Error)}`);
  }
  const messages = Array.isArray(raw.Messages) ? raw.Messages : [];
  const reply = messages.find((m) => isRecord(m) && tagValue(m.Tags, 'Action') === 'Analyzed');
  if (!isRecord(reply)) throw new ModuleAnswerError('no message with Action = Analyzed came back');
  const data = reply.Data;
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch (cause) {
    throw new ModuleAnswerError(`the Analyzed Data is not JSON: ${data.slice(0, 80)}`, { cause });
  }
}

export async function createAoAnalyzer(bytes: Uint8Array, options: AnalyzerOptions = {}): Promise<AoAnalyzer> {
  // ao-loader is untyped CommonJS (its d.ts says `any`); the handle's shape is in its README.
  const loader = AoLoader as unknown as (wasm: Uint8Array, opts: object) => Promise<Handle>;
  const log = console.log;
  let handle: Handle;
  try {
    handle = await loader(bytes, {
      format: options.format ?? 'wasm32-unknown-emscripten4',
      memoryLimit: String(options.memoryLimit ?? 16 * 1024 * 1024),
      computeLimit: options.computeLimit ?? 9e12,
      extensions: [],
    });
  } finally {
    console.log = log;
  }
  let memory: ArrayBuffer | Uint8Array | null = null;
  let count = 0;
  return {
    async analyze(text) {
      count += 1;
      // The loader swaps console.log (and Math.random) and does not restore them when the module throws.
      const random = Math.random;
      let raw: unknown;
      try {
        raw = await handle(memory, analyzeMessage(text, count), ENV);
      } catch (cause) {
        throw new ModuleAnswerError(`the module trapped: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      } finally {
        console.log = log;
        Math.random = random;
      }
      const data = analyzedData(raw);
      // Only a successful call moves the state on, as on the AO node.
      if (isRecord(raw) && (raw.Memory instanceof ArrayBuffer || raw.Memory instanceof Uint8Array)) memory = raw.Memory;
      return data;
    },
  };
}
