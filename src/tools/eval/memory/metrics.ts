/**
 * Scores of memory recall per question, and their means per LoCoMo category. A question's
 * evidence is counted in turns (a user message and the reply after it), the unit memory keeps.
 */

export const RECALL_KS = [1, 3, 5, 10] as const;

/** LoCoMo's question categories (the paper's reasoning types; 5, adversarial, has no evidence to find). */
export const CATEGORY_NAMES: Record<string, string> = { '1': 'multi-hop', '2': 'temporal', '3': 'open-domain', '4': 'single-hop' };

export interface QuestionScore {
  category: number;
  /** recall@k for each k of RECALL_KS: the share of evidence turns among the top k ranked. */
  recallAt: Record<(typeof RECALL_KS)[number], number>;
  /** The share of evidence turns whose evidence messages are all, word for word, in what the prompt receives. */
  promptCoverage: number;
  allEvidenceInPrompt: boolean;
  /** Characters of the recalled (relevant) part of the prompt. */
  relevantChars: number;
}

export interface ScoreSummary {
  recallAt1: number;
  recallAt3: number;
  recallAt5: number;
  recallAt10: number;
  promptCoverage: number;
  allEvidenceInPrompt: number;
  questions: number;
}

export interface MemoryEvalReport {
  overall: ScoreSummary;
  byCategory: Record<string, ScoreSummary>;
  /** Mean and largest size of the recalled part of the prompt, in characters: the budget it used. */
  relevantChars: { mean: number; max: number };
}

/**
 * One question's scores. `ranked`: turn ids best first; `evidence`: for each evidence turn, the
 * texts of its evidence messages; `prompt`: what the prompt receives from memory.
 */
export function scoreQuestion(input: { category: number; ranked: readonly string[]; evidence: ReadonlyMap<string, readonly string[]>; prompt: string; relevantChars: number }): QuestionScore {
  const turns = [...input.evidence.keys()];
  const share = (hit: (turn: string) => boolean) => (turns.length === 0 ? 0 : turns.filter(hit).length / turns.length);
  const recallAt = Object.fromEntries(RECALL_KS.map((k) => [k, share((turn) => input.ranked.slice(0, k).includes(turn))])) as QuestionScore['recallAt'];
  const present = (turn: string) => (input.evidence.get(turn) ?? []).every((text) => input.prompt.includes(text));
  const promptCoverage = share(present);
  return { category: input.category, recallAt, promptCoverage, allEvidenceInPrompt: turns.length > 0 && promptCoverage === 1, relevantChars: input.relevantChars };
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

export function summarise(scores: readonly QuestionScore[]): ScoreSummary {
  return {
    recallAt1: mean(scores.map((s) => s.recallAt[1])),
    recallAt3: mean(scores.map((s) => s.recallAt[3])),
    recallAt5: mean(scores.map((s) => s.recallAt[5])),
    recallAt10: mean(scores.map((s) => s.recallAt[10])),
    promptCoverage: mean(scores.map((s) => s.promptCoverage)),
    allEvidenceInPrompt: mean(scores.map((s) => (s.allEvidenceInPrompt ? 1 : 0))),
    questions: scores.length,
  };
}

export function report(scores: readonly QuestionScore[]): MemoryEvalReport {
  const categories = [...new Set(scores.map((s) => s.category))].sort((a, b) => a - b);
  return {
    overall: summarise(scores),
    byCategory: Object.fromEntries(categories.map((c) => [String(c), summarise(scores.filter((s) => s.category === c))])),
    relevantChars: { mean: Math.round(mean(scores.map((s) => s.relevantChars))), max: Math.max(0, ...scores.map((s) => s.relevantChars)) },
  };
}
