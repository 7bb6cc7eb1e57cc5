/** Renderings of a memory eval report: a terminal table and a Markdown table (the JSON is the report itself). */
import { CATEGORY_NAMES, type MemoryEvalReport, type ScoreSummary } from './metrics.js';

const HEADER = ['questions', 'n', 'recall@1', 'recall@3', 'recall@5', 'recall@10', 'promptCoverage', 'allEvidenceInPrompt'];

function rows(report: MemoryEvalReport): string[][] {
  const row = (name: string, s: ScoreSummary) => [name, String(s.questions), ...[s.recallAt1, s.recallAt3, s.recallAt5, s.recallAt10, s.promptCoverage, s.allEvidenceInPrompt].map((v) => v.toFixed(3))];
  return [
    ...Object.entries(report.byCategory).map(([category, s]) => row(`${category} ${CATEGORY_NAMES[category] ?? ''}`.trim(), s)),
    row('overall', report.overall),
  ];
}

const budgetLine = (report: MemoryEvalReport) => `Recalled part of the prompt: ${report.relevantChars.mean} characters on average, ${report.relevantChars.max} at most.`;

export function formatMemoryEvalTable(report: MemoryEvalReport): string {
  const all = [HEADER, ...rows(report)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [...all.map(line), '', budgetLine(report)].join('\n');
}

export function formatMemoryEvalMarkdown(report: MemoryEvalReport): string {
  return [
    `| ${HEADER.join(' | ')} |`,
    `|---|${HEADER.slice(1).map(() => '---:').join('|')}|`,
    ...rows(report).map((r) => `| ${r.join(' | ')} |`),
    '',
    budgetLine(report),
  ].join('\n');
}
