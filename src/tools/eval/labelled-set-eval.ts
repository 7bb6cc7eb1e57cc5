/**
 * Our Sentiment module, AFINN and VADER on one `label<TAB>text` set. Two views: strict (each
 * system's own labels; a neutral answer on a two-class set counts as wrong) and, for two-class
 * sets, sign (the sign of each system's score decides; exactly 0 counts as wrong).
 */
import type { AoAnalyzer } from './ao-analyzer.js';
import type { SentimentLabel } from './dataset.js';
import type { LabelledSet } from './labelled-tsv.js';
import { afinnLabel, createAfinnScorer, createVaderScorer, vaderLabel } from './lexicon-baselines.js';
import { scoreAll, type Scores } from './metrics.js';
import { ERROR_LABEL, type OursRun } from './ours-run.js';

export type SentimentSystem = 'ours' | 'afinn' | 'vader';

export interface LabelledSetResult {
  name: string;
  file: string;
  labels: SentimentLabel[];
  /** Whether the set was kept out of the Sentiment model's training (known for the shipped sets only). */
  heldOut?: boolean;
  strict: Record<SentimentSystem, Scores>;
  sign?: Record<SentimentSystem, Scores>;
  ours: OursRun;
}

interface Answer {
  label: string;
  score: number;
}

function signLabel(score: number): string {
  return score > 0 ? 'positive' : score < 0 ? 'negative' : ERROR_LABEL;
}

function answerOf(data: unknown): Answer {
  const label = typeof data === 'object' && data !== null ? Reflect.get(data, 'label') : undefined;
  const compound = typeof data === 'object' && data !== null ? Reflect.get(data, 'compound') : undefined;
  if (typeof label !== 'string' || typeof compound !== 'number') throw new TypeError('the Analyzed Data has no string "label" and numeric "compound"');
  return { label, score: compound };
}

async function runOurs(set: LabelledSet, analyzer: AoAnalyzer, sha256: string, now: () => number) {
  const answers: Answer[] = [];
  const run: OursRun = { msPerMessage: 0, messages: set.rows.length, failures: 0, mistakes: [], moduleSha256: sha256, categories: {} };
  let elapsed = 0;
  for (const row of set.rows) {
    const started = now();
    let answer: Answer;
    try {
      answer = answerOf(await analyzer.analyze(row.text));
    } catch (error) {
      answer = { label: ERROR_LABEL, score: 0 };
      run.failures += 1;
      run.firstFailure ??= error instanceof Error ? error.message : String(error);
    }
    elapsed += now() - started;
    if (answer.label !== row.label) run.mistakes.push({ text: row.text, gold: row.label, predicted: answer.label, tags: [] });
    answers.push(answer);
  }
  run.msPerMessage = set.rows.length === 0 ? 0 : elapsed / set.rows.length;
  return { answers, run };
}

export async function evaluateLabelledSet(set: LabelledSet, module: { analyzer: AoAnalyzer; sha256: string }, now: () => number): Promise<LabelledSetResult> {
  const { answers, run } = await runOurs(set, module.analyzer, module.sha256, now);
  const afinn = createAfinnScorer();
  const vader = createVaderScorer();
  const gold = set.rows.map((row) => row.label);
  const afinnScores = set.rows.map((row) => afinn(row.text));
  const vaderScores = set.rows.map((row) => vader(row.text));
  const strict = {
    ours: scoreAll(gold, answers.map((a) => a.label), set.labels),
    afinn: scoreAll(gold, afinnScores.map(afinnLabel), set.labels),
    vader: scoreAll(gold, vaderScores.map(vaderLabel), set.labels),
  };
  const result: LabelledSetResult = { name: set.name, file: set.file, labels: set.labels, strict, ours: run };
  if (!set.labels.includes('neutral')) {
    result.sign = {
      ours: scoreAll(gold, answers.map((a) => signLabel(a.score)), set.labels),
      afinn: scoreAll(gold, afinnScores.map(signLabel), set.labels),
      vader: scoreAll(gold, vaderScores.map(signLabel), set.labels),
    };
  }
  return result;
}
