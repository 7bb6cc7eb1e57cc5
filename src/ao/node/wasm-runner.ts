/**
 * Runs one module with @permaweb/ao-loader. State is the linear memory the loader hands back
 * (a copy: UNSAFE_MEMORY is not used, so a dry-run or a failed call cannot corrupt it).
 */
import AoLoader from '@permaweb/ao-loader';
import type { LoadedModule } from './module-store.js';
import { tagValue } from './data-item.js';
import type { EvalResult, OutboxEntry } from './types.js';

export type AoMessage = Record<string, unknown>;
export interface AoEnv {
  Process: { Id: string; Owner: string; Tags: Array<{ name: string; value: string }> };
  Module: { Id: string; Tags: Array<{ name: string; value: string }> };
}

type Handle = (memory: ArrayBuffer | Uint8Array | null, msg: AoMessage, env: AoEnv) => Promise<unknown>;

export interface Evaluation {
  /** Memory after the call; null when the call failed (the state stays as it was). */
  memory: Uint8Array | null;
  result: EvalResult;
}

export interface WasmRunner {
  evaluate(memory: Uint8Array | null, msg: AoMessage, env: AoEnv): Promise<Evaluation>;
}

const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "16-mb" → bytes; plain numbers pass through. */
export function parseSize(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const match = /^(\d+)(?:-(b|kb|mb|gb))?$/i.exec(text.trim());
  if (!match) return fallback;
  return Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1);
}

function loaderOptions(module: LoadedModule) {
  return {
    format: module.format,
    inputEncoding: tagValue(module.tags, 'Input-Encoding') ?? 'JSON-1',
    outputEncoding: tagValue(module.tags, 'Output-Encoding') ?? 'JSON-1',
    memoryLimit: String(parseSize(tagValue(module.tags, 'Memory-Limit'), 512 * 1024 ** 2)),
    computeLimit: Number(tagValue(module.tags, 'Compute-Limit') ?? 9e12),
    extensions: [],
  };
}

async function instantiate(module: LoadedModule): Promise<Handle> {
  // ao-loader is untyped CommonJS returning `any`; the handle's shape is documented in its README.
  const loader = AoLoader as unknown as (bytes: Uint8Array, options: object) => Promise<Handle>;
  return loader(module.bytes, loaderOptions(module));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function toResult(raw: unknown): { memory: Uint8Array | null; result: EvalResult } {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const memory = record.Memory;
  const bytes = memory instanceof Uint8Array ? memory : memory instanceof ArrayBuffer ? new Uint8Array(memory) : null;
  const result: EvalResult = {
    Output: record.Output ?? '',
    Messages: asArray(record.Messages) as OutboxEntry[],
    Spawns: asArray(record.Spawns) as OutboxEntry[],
    Assignments: asArray(record.Assignments),
  };
  if (record.Error !== undefined && record.Error !== null && record.Error !== '') result.Error = record.Error;
  if (typeof record.GasUsed === 'number') result.GasUsed = record.GasUsed;
  return { memory: result.Error === undefined ? bytes : null, result };
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** A runner keeps one loader instance and replaces it after any failure. */
export function createWasmRunner(module: LoadedModule): WasmRunner {
  let handle: Promise<Handle> | undefined;
  return {
    async evaluate(memory, msg, env) {
      // The loader swaps console.log and Math.random and does not restore them when the module throws.
      const log = console.log;
      const random = Math.random;
      try {
        const call = await (handle ??= instantiate(module));
        return toResult(await call(memory, msg, env));
      } catch (error) {
        handle = undefined;
        return { memory: null, result: { Output: '', Messages: [], Spawns: [], Assignments: [], Error: describeFailure(error) } };
      } finally {
        console.log = log;
        Math.random = random;
      }
    },
  };
}
