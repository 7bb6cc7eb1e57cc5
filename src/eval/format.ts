/**
 * Renderings of an eval result: a plain-text table for the terminal, a Markdown table for the
 * README, and a small JSON summary for `permachat eval --json`.
 */
import type { EvalReport, OursRun } from './run-eval.js';
import type { Scores } from './metrics.js';

const SYSTEM_NAMES: Record<string, string> = {
  ours: 'ours (AO module)',
  afinn: 'AFINN-165 (npm sentiment)',
  vader: 'VADER (npm vader-sentiment)',
  keywords: 'keyword baseline',
};

const SET_NAMES: Record<string, string> = { sentiment: 'Sentiment', intent: 'Intent' };

export interface EvalSummary {
  sets: Record<string, Record<string, { accuracy: number; macroF1: number; n: number }>>;
  ours: Record<string, { msPerMessage: number; failures: number }>;
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
  lines.push('');
  lines.push(`Time per message, ours through ao-loader: sentiment ${result.ours.sentiment.msPerMessage.toFixed(2)} ms, understanding ${result.ours.intent.msPerMessage.toFixed(2)} ms.`);
  return lines.join('\n');
}

/** What `permachat eval --json` prints: per set and per system accuracy and macro-F1. */
export function evalSummary(result: EvalReport): EvalSummary {
  const sets: EvalSummary['sets'] = {};
  for (const r of rows(result)) {
    (sets[r.set] ??= {})[r.system] = { accuracy: r.scores.accuracy, macroF1: r.scores.macroF1, n: r.scores.n };
  }
  return {
    sets,
    ours: {
      sentiment: { msPerMessage: result.ours.sentiment.msPerMessage, failures: result.ours.sentiment.failures },
      intent: { msPerMessage: result.ours.intent.msPerMessage, failures: result.ours.intent.failures },
    },
  };
}
