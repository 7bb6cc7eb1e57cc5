import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatErrorReport } from '../../src/tools/eval/error-report.js';
import { evalSummary, formatEvalMarkdown, formatEvalTable } from '../../src/tools/eval/format.js';
import { runEval, type AnalysisModule } from '../../src/tools/eval/run-eval.js';
import { packageRoot } from '../../src/package-root.js';

// A small labelled set in a temp folder, and a fake analyzer that records every call: this
// checks the plumbing (per-label slice, scoring, mistakes, failures, timing), not the modules.
const dir = path.join(packageRoot(), 'test', '.tmp', `eval-run-${process.pid}`);

const sentiment = [
  { text: 'i love it', label: 'positive', tags: ['plain'] },
  { text: 'not good', label: 'negative', tags: ['negation'] },
  { text: 'it is tuesday', label: 'neutral', tags: ['plain'] },
  { text: 'great, broken again', label: 'negative', tags: ['sarcasm'] },
];
const intent = [
  { text: 'hi', intent: 'greeting', lang: 'en' },
  { text: 'hola', intent: 'greeting', lang: 'es' },
  { text: 'bye', intent: 'farewell' },
  { text: 'thanks', intent: 'thanks' },
];

// What the fake modules answer, by text; a missing text makes the fake throw.
const sentimentAnswers: Record<string, unknown> = {
  'i love it': { label: 'positive', compound: 0.8 },
  'not good': { label: 'positive', compound: 0.4 },
  'it is tuesday': { label: 'neutral', compound: 0 },
  'great, broken again': { compound: 0.5 },
};
const intentAnswers: Record<string, unknown> = {
  hi: { intent: 'greeting' },
  hola: { intent: 'greeting' },
  bye: { intent: 'farewell' },
  thanks: { intent: 'thanks' },
};

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'sentiment.jsonl'), sentiment.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await writeFile(path.join(dir, 'intent.jsonl'), intent.map((r) => JSON.stringify(r)).join('\n') + '\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function deps(calls: Array<[AnalysisModule, string]>, perLabelLimit?: number) {
  let clock = 0;
  return {
    fixturesDir: dir,
    perLabelLimit,
    datasets: [],
    now: () => (clock += 5),
    loadModule: async (name: AnalysisModule) => new TextEncoder().encode(name),
    createAnalyzer: async (bytes: Uint8Array, name: AnalysisModule) => {
      expect(new TextDecoder().decode(bytes)).toBe(name);
      const answers = name === 'sentiment' ? sentimentAnswers : intentAnswers;
      return {
        analyze: async (text: string) => {
          calls.push([name, text]);
          if (text === 'great, broken again') throw new Error('trap');
          return answers[text];
        },
      };
    },
  };
}

describe('runEval (fake analyzers)', () => {
  it('scores ours and the baselines, lists our mistakes and failures, times each call', async () => {
    const calls: Array<[AnalysisModule, string]> = [];
    const result = await runEval(deps(calls));
    expect(calls).toEqual([...sentiment.map((r): [AnalysisModule, string] => ['sentiment', r.text]), ...intent.map((r): [AnalysisModule, string] => ['understanding', r.text])]);

    expect(Object.keys(result.sets.sentiment).sort()).toEqual(['afinn', 'ours', 'vader']);
    expect(Object.keys(result.sets.intent).sort()).toEqual(['keywords', 'ours']);
    expect(result.sets.sentiment.ours?.accuracy).toBe(0.5);
    expect(result.sets.sentiment.ours?.n).toBe(4);
    expect(result.sets.intent.ours?.accuracy).toBe(1);
    expect(result.sets.intent.ours?.macroF1).toBe(1);

    expect(result.ours.sentiment.mistakes).toEqual([
      { text: 'not good', gold: 'negative', predicted: 'positive', tags: ['negation'] },
      { text: 'great, broken again', gold: 'negative', predicted: '(error)', tags: ['sarcasm'] },
    ]);
    expect(result.ours.sentiment.failures).toBe(1);
    expect(result.ours.sentiment.firstFailure).toBe('trap');
    expect(result.ours.sentiment.msPerMessage).toBe(5);
    // sha256 of the bytes "sentiment" that the fake loadModule hands over.
    expect(result.ours.sentiment.moduleSha256).toMatch(/^df82d7244147796b/);
  });

  it('a per-label limit keeps a balanced slice', async () => {
    const calls: Array<[AnalysisModule, string]> = [];
    const result = await runEval(deps(calls, 1));
    expect(result.sets.intent.ours?.n).toBe(3);
    expect(calls.filter(([n]) => n === 'understanding').map(([, t]) => t)).toEqual(['hi', 'bye', 'thanks']);
  });

  it('formats a table, Markdown, a JSON summary and the error report', async () => {
    const result = await runEval(deps([]));
    const table = formatEvalTable(result);
    expect(table).toMatch(/Sentiment \(n=4\)/);
    expect(table).toMatch(/ours \(AO module\)\s+0\.500\s+\d\.\d{3}/);
    expect(table).toMatch(/VADER/);
    expect(table).toMatch(/keyword baseline\s+\d\.\d{3}\s+\d\.\d{3}/);
    expect(table).toMatch(/1 failed \(trap\)/);

    const md = formatEvalMarkdown(result);
    expect(md.split('\n').filter((l) => l.startsWith('| Sentiment')).length).toBe(3);
    expect(md).toMatch(/\| Intent \| ours \(AO module\) \| 4 \| 1\.000 \| 1\.000 \|/);

    const summary = evalSummary(result);
    expect(summary.sets.intent?.ours).toEqual({ accuracy: 1, macroF1: 1, n: 4 });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);

    expect(result.ours.sentiment.categories).toEqual({ plain: 2, negation: 1, sarcasm: 1 });
    expect(result.ours.intent.categories).toEqual({ 'lang:en': 3, 'lang:es': 1 });
    const report = formatErrorReport(result);
    expect(report).toMatch(/### negation: 1 wrong of 1/);
    expect(report).toMatch(/\| plain \| 0 \| 2 \| 0% \|/);
    expect(report).toMatch(/en 0\/3, es 0\/1/);
    expect(report).toMatch(/\| not good \| negative \| positive \|/);
    expect(report).toMatch(/negative → positive: 1/);
  });

  it('a module that does not load says how to rebuild it', async () => {
    await expect(
      runEval({ ...deps([]), createAnalyzer: async () => Promise.reject(new Error('bad magic')) }),
    ).rejects.toThrow(/did not load under ao-loader/);
  });
});
