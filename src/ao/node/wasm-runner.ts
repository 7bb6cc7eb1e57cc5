/**
 * Runs one module with @permaweb/ao-loader in the module sandbox (a worker thread, see
 * sandbox.ts). State is the linear memory the loader hands back (a copy: UNSAFE_MEMORY is not
 * used, so a dry-run or a failed call cannot corrupt it).
 */
import { tagValue } from '../../arweave/tag.js';
import type { LoadedModule } from './module-store.js';

import { moduleSandbox, type LoaderOptions, type Sandbox, type SandboxAnswer } from './sandbox.js';
import type { EvalResult } from './types.js';
import { outboxMessagesOf, type OutboxMessage } from '../protocol.js';

export type AoMessage = Record<string, unknown>;
export interface AoEnv {
  Process: { Id: string; Owner: string; Tags: Array<{ name: string; value: string }> };
  Module: { Id: string; Tags: Array<{ name: string; value: string }> };
}

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

function loaderOptions(module: LoadedModule): LoaderOptions {
  return {
    format: module.format,
    inputEncoding: tagValue(module.tags, 'Input-Encoding') ?? 'JSON-1',
    outputEncoding: tagValue(module.tags, 'Output-Encoding') ?? 'JSON-1',
    memoryLimit: String(parseSize(tagValue(module.tags, 'Memory-Limit'), 512 * 1024 ** 2)),
    computeLimit: Number(tagValue(module.tags, 'Compute-Limit') ?? 9e12),
    extensions: [],
  };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The outbox as the protocol reads it; a malformed one fails the evaluation (the state does not move on). */
function outboxOf(raw: SandboxAnswer): { Messages: OutboxMessage[]; Spawns: OutboxMessage[]; error?: string } {
  try {
    return { Messages: outboxMessagesOf(raw.Messages, 'Messages'), Spawns: outboxMessagesOf(raw.Spawns, 'Spawns') };
  } catch (error) {
    return { Messages: [], Spawns: [], error: `the process returned a malformed outbox: ${describeFailure(error)}` };
  }
}

function toResult(raw: SandboxAnswer): { memory: Uint8Array | null; result: EvalResult } {
  const outbox = outboxOf(raw);
  const result: EvalResult = {
    Output: raw.Output ?? '',
    Messages: outbox.Messages,
    Spawns: outbox.Spawns,
    Assignments: asArray(raw.Assignments),
  };
  if (raw.Error !== undefined && raw.Error !== null && raw.Error !== '') result.Error = raw.Error;
  else if (outbox.error !== undefined) result.Error = outbox.error;
  if (typeof raw.GasUsed === 'number') result.GasUsed = raw.GasUsed;
  return { memory: result.Error === undefined ? raw.Memory : null, result };
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

let runners = 0;
// A runner dropped by its owner (a stopped node, a finished benchmark) frees its instance.
const release = new FinalizationRegistry<{ sandbox: Sandbox; key: string }>(({ sandbox, key }) => sandbox.drop(key));

/** A runner keeps one loader instance (in the sandbox thread) and replaces it after any failure. */
export function createWasmRunner(module: LoadedModule, sandbox: Sandbox = moduleSandbox()): WasmRunner {
  const key = `${module.hash}:${runners++}`;
  sandbox.define(key, module.bytes, loaderOptions(module));
  const runner: WasmRunner = {
    async evaluate(memory, msg, env) {
      try {
        return toResult(await sandbox.call(key, memory, msg, env));
      } catch (error) {
        return { memory: null, result: { Output: '', Messages: [], Spawns: [], Assignments: [], Error: describeFailure(error) } };
      }
    },
  };
  release.register(runner, { sandbox, key });
  return runner;
}
