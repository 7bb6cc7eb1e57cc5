/**
 * Renderings of an eval result: a plain-text table for the terminal, a Markdown table for the
 * README, and a small JSON summary for `permachat eval --json`.
 */
import type { LabelledSetResult } from './labelled-set-eval.js';
import type { EvalReport, OursRun } from './run-eval.js';
import type { Scores } from './metrics.js';

const SYSTEM_NAMES: Record<string, string> = {
  ours: 'ours (AO module)',
  afinn: 'AFINN-165 (npm sentiment)',
  vader: 'VADER (npm vader-sentiment)',
  keywords: 'keyword baseline',
};

const SET_NAMES: Record<string, string> = { sentiment: 'Sentiment', intent: 'Intent' };

type Summary = { accuracy: number; macroF1: number; n: number };

export interface EvalSummary {
  /** Strict view: each system's own labels (neutral on a two-class set counts as wrong). */
  sets: Record<string, Record<string, Summary>>;
  /** Two-class label<TAB>text sets only: the sign of each system's score decides. */
  signView: Record<string, Record<string, Summary>>;
  /** The label<TAB>text sets kept out of the Sentiment model's training. */
  heldOut: string[];
  ours: Record<string, { msPerMessage: number; failures: number }>;
}

function setTitle(set: LabelledSetResult): string {
  const kind = set.labels.includes('neutral') ? 'three classes' : 'two classes';
  const held = set.heldOut === true ? ', held out from training' : set.heldOut === false ? ', TRAINED ON' : '';
  return `${set.name} (${kind}${held}, n=${set.ours.messages})`;
}

/** Plain-text table for label<TAB>text sets: strict accuracy and macro-F1, then sign macro-F1. */
export function formatLabelledTable(sets: LabelledSetResult[]): string {
  const width = Math.max(...Object.values(SYSTEM_NAMES).map((n) => n.length)) + 2;
  const lines: string[] = [];
  for (const set of sets) {
    lines.push(setTitle(set));
    lines.push(`  ${'system'.padEnd(width)}${'accuracy'.padStart(9)}${'macro-F1'.padStart(10)}${set.sign ? 'sign F1'.padStart(9) : ''}`);
    for (const [system, scores] of Object.entries(set.strict)) {
      const sign = set.sign ? fixed(set.sign[system as keyof typeof set.sign].macroF1).padStart(9) : '';
      lines.push(`  ${(SYSTEM_NAMES[system] ?? system).padEnd(width)}${fixed(scores.accuracy).padStart(9)}${fixed(scores.macroF1).padStart(10)}${sign}`);
    }
    lines.push(`  ours: ${timingLine(set.name, set.ours)}`, '');
  }
  return lines.join('\n');
}

function labelledMarkdown(sets: LabelledSetResult[]): string[] {
  if (sets.length === 0) return [];
  const lines = ['', '| set | system | n | accuracy | macro-F1 | sign macro-F1 |', '|---|---|---:|---:|---:|---:|'];
  for (const set of sets) {
    for (const [system, scores] of Object.entries(set.strict)) {
      const sign = set.sign ? fixed(set.sign[system as keyof typeof set.sign].macroF1) : '—';
      lines.push(`| ${set.name}${set.heldOut ? ' (held out)' : ''} | ${SYSTEM_NAMES[system] ?? system} | ${scores.n} | ${fixed(scores.accuracy)} | ${fixed(scores.macroF1)} | ${sign} |`);
    }
  }
  return lines;
}

const fixed = (value: number) => value.toFixed(3);

function rows(result: EvalReport): Array<{ set: string; system: string; scores: Scores }> {
  const out: Array<{ set: string; system: string; scores: Scores }> = [];
  for (const [set, systems] of Object.entries(result.sets)) {
    for (const [system, scores] of Object.entries(systems)) out.push({ set, system, scores });
  }
  return out;
}

function timingLine(set: string, run: OursRun): string {
  const failed = run.failures > 0 ? `, ${run.failures} failed (${run.firstFailure ?? 'no reason'})` : '';
  return `${SET_NAMES[set] ?? set}: ${run.msPerMessage.toFixed(2)} ms per message over ${run.messages}${failed}`;
}

export function formatEvalTable(result: EvalReport): string {
  const all = rows(result);
  const nameWidth = Math.max(...all.map((r) => (SYSTEM_NAMES[r.system] ?? r.system).length), 6) + 2;
  const lines: string[] = [];
  for (const set of Object.keys(result.sets)) {
    const first = all.find((r) => r.set === set);
    lines.push(`${SET_NAMES[set] ?? set} (n=${first?.scores.n ?? 0})`);
    lines.push(`  ${'system'.padEnd(nameWidth)}${'accuracy'.padStart(9)}${'macro-F1'.padStart(10)}`);
    for (const r of all.filter((x) => x.set === set)) {
      const name = SYSTEM_NAMES[r.system] ?? r.system;
      lines.push(`  ${name.padEnd(nameWidth)}${fixed(r.scores.accuracy).padStart(9)}${fixed(r.scores.macroF1).padStart(10)}`);
    }
    lines.push('');
  }
  if (result.labelled.length > 0) lines.push(formatLabelledTable(result.labelled));
  lines.push('Our modules under ao-loader:');
  lines.push(`  ${timingLine('sentiment', result.ours.sentiment)}`);
  lines.push(`  ${timingLine('intent', result.ours.intent)}`);
  return lines.join('\n');
}

export function formatEvalMarkdown(result: EvalReport): string {
  const lines = ['| set | system | n | accuracy | macro-F1 |', '|---|---|---:|---:|---:|'];
  for (const r of rows(result)) {
    const name = SYSTEM_NAMES[r.system] ?? r.system;
    lines.push(`| ${SET_NAMES[r.set] ?? r.set} | ${name} | ${r.scores.n} | ${fixed(r.scores.accuracy)} | ${fixed(r.scores.macroF1)} |`);
  }
  lines.push(...labelledMarkdown(result.labelled));
  lines.push('');
  lines.push(`Time per message, ours through ao-loader: sentiment ${result.ours.sentiment.msPerMessage.toFixed(2)} ms, understanding ${result.ours.intent.msPerMessage.toFixed(2)} ms.`);
  return lines.join('\n');
}

const summary = (scores: Scores): Summary => ({ accuracy: scores.accuracy, macroF1: scores.macroF1, n: scores.n });

function mapScores(scores: Record<string, Scores>): Record<string, Summary> {
  return Object.fromEntries(Object.entries(scores).map(([system, s]) => [system, summary(s)]));
}

/** The summary of label<TAB>text sets alone (`permachat eval --dataset … --json`). */
export function labelledSummary(sets: LabelledSetResult[]): Pick<EvalSummary, 'sets' | 'signView' | 'heldOut'> {
  const out: Pick<EvalSummary, 'sets' | 'signView' | 'heldOut'> = { sets: {}, signView: {}, heldOut: [] };
  for (const set of sets) {
    out.sets[set.name] = mapScores(set.strict);
    if (set.sign) out.signView[set.name] = mapScores(set.sign);
    if (set.heldOut) out.heldOut.push(set.name);
  }
  return out;
}

/** What `permachat eval --json` prints: per set and per system accuracy and macro-F1. */
export function evalSummary(result: EvalReport): EvalSummary {
  const labelled = labelledSummary(result.labelled);
  const sets: EvalSummary['sets'] = {};
  for (const r of rows(result)) (sets[r.set] ??= {})[r.system] = summary(r.scores);
  return {
    sets: { ...sets, ...labelled.sets },
    signView: labelled.signView,
    heldOut: labelled.heldOut,
    ours: {
      sentiment: { msPerMessage: result.ours.sentiment.msPerMessage, failures: result.ours.sentiment.failures },
      intent: { msPerMessage: result.ours.intent.msPerMessage, failures: result.ours.intent.failures },
    },
  };
}
