// ao-loader replaces Date.now, performance.now, process.hrtime and Math.random process-wide
// when it instantiates a module; modules run in a worker so the host keeps its own clocks.
import { describe, expect, it } from 'vitest';
import { loadModuleBytes } from '../../src/ao/modules.js';
import { measureEvaluation } from '../../src/ao/node/measure.js';
import { sha256Hex } from '../../src/hash.js';
import { createSandbox, createSandboxPool, type Sandbox, type SandboxAnswer } from '../../src/ao/node/sandbox.js';
import { createWasmRunner } from '../../src/ao/node/wasm-runner.js';

describe('module sandbox', () => {
  it('runs modules without touching the host clock or random source', async () => {
    const originals = { dateNow: Date.now, perfNow: performance.now, hrtime: process.hrtime, random: Math.random, log: console.log };
    const result = await measureEvaluation({
      bytes: await loadModuleBytes('sentiment'),
      messages: Array.from({ length: 5 }, (_, i) => ({ tags: [{ name: 'Action', value: 'Analyze' }], data: `I love this ${i}` })),
    });
    expect(result.errors).toBe(0);
    expect(Date.now).toBe(originals.dateNow);
    expect(performance.now).toBe(originals.perfNow);
    expect(process.hrtime).toBe(originals.hrtime);
    expect(Math.random).toBe(originals.random);
    expect(console.log).toBe(originals.log);
    // A real wall clock, not the loader's counter that starts at 10 000.
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1000);
    expect(Date.now()).toBeGreaterThan(1_700_000_000_000);
  });

  it('reports a module that fails to load as an error result and keeps serving others', async () => {
    const broken = await measureEvaluation({ bytes: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]), messages: [{ tags: [] }] });
    expect(broken.errors).toBe(1);
    const working = await measureEvaluation({ bytes: await loadModuleBytes('sentiment'), messages: [{ tags: [{ name: 'Action', value: 'Analyze' }], data: 'fine' }] });
    expect(working.errors).toBe(0);
  });

  it('fails the calls of a worker that stops, and serves the next call from a new one', async () => {
    const bytes = await loadModuleBytes('sentiment');
    const tags = [{ name: 'Module-Format', value: 'wasm32-unknown-emscripten4' }];
    const sandbox = createSandbox();
    const runner = createWasmRunner({ id: 'sandbox-test', bytes, tags, format: 'wasm32-unknown-emscripten4', hash: sha256Hex(bytes) }, sandbox);
    const env = { Process: { Id: 'p', Owner: 'o', Tags: [] }, Module: { Id: 'sandbox-test', Tags: tags } };
    const message = (id: string, action: string, data = '') => ({ Id: id, Owner: 'o', From: 'o', Target: 'p', Module: 'sandbox-test', 'Block-Height': 0, Cron: false, Timestamp: 1, Tags: [{ name: 'Action', value: action }], Data: data });
    const spawned = await runner.evaluate(null, message('spawn', 'Eval'), env);
    expect(spawned.memory).not.toBeNull();

    const inFlight = runner.evaluate(spawned.memory, message('m1', 'Analyze', 'what a lovely day'), env);
    await sandbox.stop();
    // Stopped on the tick it was sent: it fails as an error result, it never hangs.
    const failed = await inFlight;
    expect(String(failed.result.Error)).toMatch(/the module worker exited/);
    expect(failed.memory).toBeNull();

    const after = await runner.evaluate(spawned.memory, message('m2', 'Analyze', 'what a lovely day'), env);
    expect(after.result.Error).toBeUndefined();
    expect(JSON.stringify(after.result.Messages)).toContain('positive');
    await sandbox.stop();
  });

  it('spreads processes over the pool and keeps each process on one sandbox', async () => {
    const made: Array<{ keys: string[]; calls: string[]; stopped: boolean }> = [];
    const fake = (): Sandbox => {
      const record = { keys: [] as string[], calls: [] as string[], stopped: false };
      made.push(record);
      return {
        define: (key) => void record.keys.push(key),
        call: async (key) => {
          record.calls.push(key);
          return { Memory: null, Output: key, Messages: [], Spawns: [], Assignments: [], Error: undefined, GasUsed: undefined } satisfies SandboxAnswer;
        },
        drop: (key) => void (record.keys = record.keys.filter((k) => k !== key)),
        stop: async () => void (record.stopped = true),
      };
    };
    const pool = createSandboxPool(2, fake);
    const options = { format: 'wasm32-unknown-emscripten4', memoryLimit: '1', computeLimit: 1, extensions: [] };
    for (const key of ['understanding', 'sentiment', 'generation']) pool.define(key, new Uint8Array(), options);
    expect(made.map((m) => m.keys)).toEqual([['understanding', 'generation'], ['sentiment']]);
    await Promise.all([pool.call('understanding', null, {}, {}), pool.call('sentiment', null, {}, {}), pool.call('generation', null, {}, {})]);
    expect(made.map((m) => m.calls)).toEqual([['understanding', 'generation'], ['sentiment']]);
    await expect(pool.call('unknown', null, {}, {})).rejects.toThrow(/not defined/);
    pool.drop('understanding');
    pool.define('dry-run', new Uint8Array(), options);
    expect(made.map((m) => m.keys)).toEqual([['generation', 'dry-run'], ['sentiment']]);
    await pool.stop();
    expect(made.every((m) => m.stopped)).toBe(true);
  });
});
