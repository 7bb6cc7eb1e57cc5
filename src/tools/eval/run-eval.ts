/**
 * The eval: our AO modules against off-the-shelf baselines on the labelled sets in
 * test/fixtures/eval. Sentiment: ours vs AFINN (npm `sentiment`) vs VADER. Intent: ours vs a
 * naive keyword baseline. Our modules run through ao-loader, the same bytes the AO node runs.
 */
import { sha256Hex } from '../../hash.js';
import { UnavailableError } from '../../errors.js';
import type { ModuleName } from '../../ao/modules.js';
import { createAoAnalyzer, type AoAnalyzer } from './ao-analyzer.js';
import {
  INTENTS,
  SENTIMENT_LABELS,
  loadIntentSet,
  loadSentimentSet,
  defaultFixturesDir,
  heldOutPublicSets,
} from './dataset.js';
import { keywordIntent } from './keyword-intent.js';
import { evaluateLabelledSet, type LabelledSetResult } from './labelled-set-eval.js';
import { ERROR_LABEL, type Mistake, type OursRun } from './ours-run.js';

export { ERROR_LABEL, type Mistake, type OursRun } from './ours-run.js';
import { loadLabelledTsv } from './labelled-tsv.js';
import { afinnLabel, createAfinnScorer, createVaderScorer, vaderLabel } from './lexicon-baselines.js';
import { scoreAll, type Scores } from './metrics.js';

/** The modules whose labels `eval` scores (Generation has none). */
export type AnalysisModule = Extract<ModuleName, 'sentiment' | 'understanding'>;

export interface EvalDeps {
  loadModule: (name: AnalysisModule) => Promise<Uint8Array>;
  /** Folder with sentiment.jsonl and intent.jsonl; defaults to the shipped sets. */
  fixturesDir?: string;
  /** Keep at most this many examples per gold label (a quick, still balanced slice). */
  perLabelLimit?: number;
  /** Clock in milliseconds, for the per-message timing of our modules. */
  now?: () => number;
  /** How module bytes become an analyzer; ao-loader unless a unit test says otherwise. */
  createAnalyzer?: (bytes: Uint8Array, name: AnalysisModule) => Promise<AoAnalyzer>;
  /** label<TAB>text sentiment sets to add; defaults to the public sets the model was not trained on. */
  datasets?: DatasetRef[];
}

export interface DatasetRef {
  file: string;
  /** true: kept out of the Sentiment model's training; absent: not known (a file someone gave). */
  heldOut?: boolean;
}

export interface EvalReport {
  sets: {
    sentiment: Record<string, Scores>;
    intent: Record<string, Scores>;
  };
  ours: { sentiment: OursRun; intent: OursRun };
  /** The label<TAB>text sets, each with the three sentiment systems. */
  labelled: LabelledSetResult[];
}


function limitPerLabel<T>(rows: T[], labelOf: (row: T) => string, limit: number | undefined): T[] {
  if (limit === undefined) return rows;
  const seen = new Map<string, number>();
  return rows.filter((row) => {
    const count = seen.get(labelOf(row)) ?? 0;
    seen.set(labelOf(row), count + 1);
    return count < limit;
  });
}

function field(data: unknown, name: string): string {
  if (typeof data === 'object' && data !== null) {
    const value: unknown = Reflect.get(data, name);
    if (typeof value === 'string') return value;
  }
  return ERROR_LABEL;
}

async function analyzerFor(deps: EvalDeps, name: AnalysisModule): Promise<{ analyzer: AoAnalyzer; sha256: string }> {
  const bytes = await deps.loadModule(name);
  const sha256 = sha256Hex(bytes);
  try {
    return { analyzer: await (deps.createAnalyzer ?? ((b: Uint8Array) => createAoAnalyzer(b)))(bytes, name), sha256 };
  } catch (cause) {
    throw new UnavailableError(`the ${name} module did not load under ao-loader`, {
      cause,
      hint: 'rebuild it with `node scripts/build-modules.mjs`',
    });
  }
}

interface Item {
  text: string;
  gold: string;
  tags: string[];
}

async function runOurs(module: { analyzer: AoAnalyzer; sha256: string }, items: Item[], pick: string, now: () => number) {
  const { analyzer, sha256 } = module;
  const predicted: string[] = [];
  const run: OursRun = { msPerMessage: 0, messages: items.length, failures: 0, mistakes: [], moduleSha256: sha256, categories: {} };
  for (const tag of items.flatMap((i) => i.tags)) run.categories[tag] = (run.categories[tag] ?? 0) + 1;
  let elapsed = 0;
  for (const item of items) {
    const started = now();
    let label: string;
    try {
      label = field(await analyzer.analyze(item.text), pick);
      if (label === ERROR_LABEL) run.firstFailure ??= `the Analyzed Data has no string "${pick}"`;
    } catch (error) {
      label = ERROR_LABEL;
      run.firstFailure ??= error instanceof Error ? error.message : String(error);
    }
    elapsed += now() - started;
    if (label === ERROR_LABEL) run.failures += 1;
    if (label !== item.gold) run.mistakes.push({ text: item.text, gold: item.gold, predicted: label, tags: item.tags });
    predicted.push(label);
  }
  run.msPerMessage = items.length === 0 ? 0 : elapsed / items.length;
  return { predicted, run };
}

/** Ours, AFINN and VADER on each label<TAB>text set (`permachat eval --dataset`). */
export async function runLabelledSets(deps: Omit<EvalDeps, 'datasets'>, datasets: DatasetRef[]): Promise<LabelledSetResult[]> {
  const now = deps.now ?? (() => performance.now());
  const sets = await Promise.all(datasets.map((ref) => loadLabelledTsv(ref.file)));
  if (sets.length === 0) return [];
  const module = await analyzerFor(deps, 'sentiment');
  const results: LabelledSetResult[] = [];
  for (const [index, set] of sets.entries()) {
    const limited = { ...set, rows: limitPerLabel(set.rows, (r) => r.label, deps.perLabelLimit) };
    const result = await evaluateLabelledSet(limited, module, now);
    const heldOut = datasets[index]?.heldOut;
    results.push(heldOut === undefined ? result : { ...result, heldOut });
  }
  return results;
}

export async function runEval(deps: EvalDeps): Promise<EvalReport> {
  const dir = deps.fixturesDir ?? defaultFixturesDir();
  const now = deps.now ?? (() => performance.now());

  const sentimentRows = limitPerLabel(await loadSentimentSet(dir), (r) => r.label, deps.perLabelLimit);
  const intentRows = limitPerLabel(await loadIntentSet(dir), (r) => r.intent, deps.perLabelLimit);
  const sentimentItems: Item[] = sentimentRows.map((r) => ({ text: r.text, gold: r.label, tags: r.tags }));
  const intentItems: Item[] = intentRows.map((r) => ({ text: r.text, gold: r.intent, tags: [`lang:${r.lang}`] }));

  const sentimentGold = sentimentItems.map((i) => i.gold);
  const intentGold = intentItems.map((i) => i.gold);

  const oursSentiment = await runOurs(await analyzerFor(deps, 'sentiment'), sentimentItems, 'label', now);
  const oursIntent = await runOurs(await analyzerFor(deps, 'understanding'), intentItems, 'intent', now);

  const afinn = createAfinnScorer();
  const vader = createVaderScorer();

  return {
    sets: {
      sentiment: {
        ours: scoreAll(sentimentGold, oursSentiment.predicted, SENTIMENT_LABELS),
        afinn: scoreAll(sentimentGold, sentimentItems.map((i) => afinnLabel(afinn(i.text))), SENTIMENT_LABELS),
        vader: scoreAll(sentimentGold, sentimentItems.map((i) => vaderLabel(vader(i.text))), SENTIMENT_LABELS),
      },
      intent: {
        ours: scoreAll(intentGold, oursIntent.predicted, INTENTS),
        keywords: scoreAll(intentGold, intentItems.map((i) => keywordIntent(i.text)), INTENTS),
      },
    },
    ours: { sentiment: oursSentiment.run, intent: oursIntent.run },
    labelled: await runLabelledSets(deps, deps.datasets ?? heldOutPublicSets()),
  };
}
