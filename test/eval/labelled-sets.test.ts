import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldOutPublicSets } from '../../src/tools/eval/dataset.js';
import { formatErrorReport } from '../../src/tools/eval/error-report.js';
import { evalSummary, formatLabelledTable, labelledSummary } from '../../src/tools/eval/format.js';
import { loadLabelledTsv, parseLabelledTsv } from '../../src/tools/eval/labelled-tsv.js';
import { runEval, runLabelledSets, type AnalysisModule } from '../../src/tools/eval/run-eval.js';
import { InputError } from '../../src/errors.js';
import { packageRoot } from '../../src/package-root.js';

const dir = path.join(packageRoot(), 'test', '.tmp', `eval-labelled-${process.pid}`);
const twoClass = path.join(dir, 'reviews.tsv');
const threeClass = path.join(dir, 'chat.tsv');

// What the fake Sentiment module answers: "Akku hält 2 Tage" is neutral but leans negative,
// so the strict view counts it wrong and the sign view right.
const answers: Record<string, { label: string; compound: number }> = {
  'Great phone, the battery lasts all day 🔋': { label: 'positive', compound: 0.8 },
  'Broke after a week. Waste of €40.': { label: 'negative', compound: -0.7 },
  'Akku hält 2 Tage': { label: 'neutral', compound: -0.03 },
  'Not worth it': { label: 'positive', compound: 0.2 },
  'the café opens at 9': { label: 'neutral', compound: 0.01 },
  'love it ❤️': { label: 'positive', compound: 0.9 },
};

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeFile(twoClass, 'positive\tGreat phone, the battery lasts all day 🔋\nnegative\tBroke after a week. Waste of €40.\r\nnegative\tAkku hält 2 Tage\n\nnegative\tNot worth it\n');
  await writeFile(threeClass, 'neutral\tthe café opens at 9\npositive\tlove it ❤️\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = (calls: string[]) => ({
  loadModule: async (name: AnalysisModule) => new TextEncoder().encode(name),
  createAnalyzer: async () => ({
    analyze: async (text: string) => {
      calls.push(text);
      return answers[text];
    },
  }),
});

describe('label<TAB>text sets', () => {
  it('parses labels and text, names the set after its file, and knows two classes from three', async () => {
    const set = await loadLabelledTsv(twoClass);
    expect(set.name).toBe('reviews');
    expect(set.labels).toEqual(['positive', 'negative']);
    expect(set.rows[1]).toEqual({ label: 'negative', text: 'Broke after a week. Waste of €40.' });
    expect((await loadLabelledTsv(threeClass)).labels).toEqual(['positive', 'neutral', 'negative']);
  });

  it('a bad line or an empty file says which file, which line and what to do', async () => {
    expect(() => parseLabelledTsv('positive\tok\npostive\ttypo in the label\n', 'x.tsv')).toThrow(/x\.tsv:2: expected "label<TAB>text"/);
    expect(() => parseLabelledTsv('positive great, no tab\n', 'y.tsv')).toThrow(InputError);
    expect(() => parseLabelledTsv('\n\n', 'z.tsv')).toThrow(/has no labelled lines/);
    await expect(loadLabelledTsv(path.join(dir, 'missing.tsv'))).rejects.toThrow(/cannot read dataset/);
  });

  it('scores ours, AFINN and VADER in the strict view and, for two classes, the sign view', async () => {
    const calls: string[] = [];
    const [reviews, chat] = await runLabelledSets(deps(calls), [{ file: twoClass, heldOut: true }, { file: threeClass }]);
    expect(calls).toHaveLength(6);
    // Strict: 2 of 4 right (the neutral answer and "Not worth it" are wrong).
    expect(reviews?.strict.ours.accuracy).toBe(0.5);
    // Sign: the neutral answer leaned negative, so 3 of 4.
    expect(reviews?.sign?.ours.accuracy).toBe(0.75);
    expect(Object.keys(reviews?.strict ?? {}).sort()).toEqual(['afinn', 'ours', 'vader']);
    expect(reviews?.heldOut).toBe(true);
    expect(chat?.sign).toBeUndefined();
    expect(chat?.heldOut).toBeUndefined();
    expect(chat?.strict.ours.accuracy).toBe(1);

    const summary = labelledSummary([reviews!, chat!]);
    expect(summary.heldOut).toEqual(['reviews']);
    expect(summary.sets.reviews?.ours).toEqual({ accuracy: 0.5, macroF1: expect.any(Number), n: 4 });
    expect(Object.keys(summary.signView)).toEqual(['reviews']);
    const table = formatLabelledTable([reviews!, chat!]);
    expect(table).toMatch(/reviews \(two classes, held out from training, n=4\)/);
    expect(table).toMatch(/ours \(AO module\)\s+0\.500\s+\d\.\d{3}\s+\d\.\d{3}/);
    expect(table).toMatch(/chat \(three classes, n=2\)/);
  });

  it('runEval reports the held-out public sets by default, in the JSON summary and the error report', async () => {
    expect(heldOutPublicSets().map((s) => path.basename(s.file))).toEqual(['imdb.tsv']);
    const result = await runEval({
      ...deps([]),
      fixturesDir: path.join(packageRoot(), 'test', 'fixtures', 'eval'),
      perLabelLimit: 2,
      createAnalyzer: async () => ({ analyze: async () => ({ label: 'negative', compound: -0.5, intent: 'question' }) }),
    });
    expect(result.labelled.map((s) => s.name)).toEqual(['imdb']);
    expect(result.labelled[0]?.strict.ours.n).toBe(4);
    const summary = evalSummary(result);
    expect(summary.heldOut).toEqual(['imdb']);
    expect(summary.sets.imdb?.vader?.n).toBe(4);
    expect(summary.signView.imdb?.ours?.accuracy).toBe(0.5);
    expect(formatErrorReport(result)).toMatch(/## imdb \(public\/imdb\.tsv, held out from training\)\n\n2 wrong of 4/);
  });
});
