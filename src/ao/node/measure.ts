/**
 * Evaluation time of a module, without HTTP or logging: for the benchmark. Runs `messages`
 * in order on one process (after its spawn) and reports the time of each.
 */
import { type Tag } from '../../arweave/tag.js';
import { sha256Hex } from '../../hash.js';
import type { LoadedModule } from './module-store.js';

import { createWasmRunner } from './wasm-runner.js';

export interface MeasureInput {
  bytes: Uint8Array;
  format?: string;
  processTags?: Tag[];
  messages: Array<{ tags: Tag[]; data?: string; from?: string }>;
}

export interface Measurement {
  perMessageMs: number[];
  meanMs: number;
  errors: number;
}

export async function measureEvaluation(input: MeasureInput): Promise<Measurement> {
  const tags: Tag[] = [
    { name: 'Module-Format', value: input.format ?? 'wasm32-unknown-emscripten4' },
    { name: 'Input-Encoding', value: 'JSON-1' },
    { name: 'Output-Encoding', value: 'JSON-1' },
  ];
  const module: LoadedModule = { id: 'measure-module', bytes: input.bytes, tags, format: input.format ?? 'wasm32-unknown-emscripten4', hash: sha256Hex(input.bytes) };
  const runner = createWasmRunner(module);
  const processTags = input.processTags ?? [];
  const env = { Process: { Id: 'measure-process', Owner: 'measure-owner', Tags: processTags }, Module: { Id: module.id, Tags: tags } };
  const base = { Owner: 'measure-owner', Target: 'measure-process', Module: module.id, 'Block-Height': 0, Cron: false };
  let memory = (await runner.evaluate(null, { ...base, Id: 'spawn', From: 'measure-owner', Tags: processTags, Data: '', Timestamp: Date.now() }, env)).memory;
  const perMessageMs: number[] = [];
  let errors = 0;
  for (const [index, message] of input.messages.entries()) {
    const msg = { ...base, Id: `message-${index}`, From: message.from ?? 'measure-owner', Tags: message.tags, Data: message.data ?? '', Timestamp: Date.now() };
    const started = performance.now();
    const evaluation = await runner.evaluate(memory, msg, env);
    perMessageMs.push(performance.now() - started);
    if (evaluation.memory) memory = evaluation.memory;
    else errors++;
  }
  const meanMs = perMessageMs.reduce((sum, ms) => sum + ms, 0) / Math.max(perMessageMs.length, 1);
  return { perMessageMs, meanMs, errors };
}
