// `permachat bench --quick --json` runs end to end and reports every figure with its baseline
// and ratio. Only that it runs and what it reports are checked here: speed is for the bench.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';
import { skipWhenMissing } from '../support/prerequisite.js';

// The start-up figure spawns the built CLI.
const built = existsSync(path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'));

describe.skipIf(skipWhenMissing(built, 'dist/ (npm run build)'))('permachat bench', () => {
  it('prints every figure beside its baseline and their ratio', { timeout: 360_000 }, async () => {
    const run = await runCli(['bench', '--quick', '--json', '--ao-messages', '30'], { cwd: repoRoot });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(result).sort()).toEqual(['ao', 'concurrency', 'latency', 'machine', 'memory', 'startup']);
    const ratios = Object.entries(result).flatMap(([group, figures]) => Object.entries(figures).filter(([key]) => key.toLowerCase().includes('ratio')).map(([key, value]) => [`${group}.${key}`, value] as const));
    expect(ratios.map(([key]) => key)).toEqual(expect.arrayContaining([
      'latency.turn1TtftRatio', 'latency.turn10TtftRatio', 'latency.followUpEvaluatedTokensRatio',
      'concurrency.c4ThroughputRatio', 'concurrency.c4DecodeRatio', 'concurrency.c16P99Ratio',
      'ao.evalP50Ratio', 'ao.evalP99Ratio', 'ao.throughputRatio', 'ao.restartRatio', 'ao.concurrent50Ratio',
      'memory.encryptRatio', 'memory.outboxWriteRatio', 'memory.recallColdToWarmRatio', 'startup.startupRatio', 'startup.rssLoadToIdleRatio',
    ]));
    for (const [key, value] of ratios) {
      expect(typeof value, key).toBe('number');
      expect(Number.isFinite(value) && (value as number) > 0, key).toBe(true);
    }
    expect(result.memory?.drained).toBe(true);
    // A follow-up evaluates what is new (its notes, message and the last exchange), not the whole prompt.
    const latency = result.latency as Record<string, number>;
    expect(latency.turn10EvaluatedTokens).toBeLessThan(latency.turn10PromptTokens ?? 0);
    expect(result.ao?.messages).toBe(30);
  });

  it('says what --ao-messages takes', async () => {
    const run = await runCli(['bench', '--ao-messages', 'lots'], { cwd: repoRoot });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--ao-messages must be a whole number from 1 to 100000, not "lots"/);
  });
});
