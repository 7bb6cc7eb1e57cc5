/**
 * The recalled part of the prompt: the older messages most relevant to the new message, best
 * first, written out until a budget of characters is spent. A budget in characters, not in
 * turns: it holds what four whole turns took before, and short or single messages leave room
 * for more of them (a reply that only cheers the user on is not worth its characters).
 */
import type { TurnRecord } from './records.js';
import type { MessageRef, TurnRanker } from './relevance.js';
import type { Side } from './speakers.js';

/**
 * Characters per requested turn: four whole turns took 1,384 characters on average when recall
 * gave whole turns (the LoCoMo development conversations), so `relevant: 4` keeps that budget.
 */
export const CHARS_PER_RECALLED_TURN = 346;

/** How many of the best-ranked messages are tried before the budget is declared spent. */
const CANDIDATES = 80;

/** The date says when it was said (questions ask "when"); quotes keep the words apart from ours. */
export function formatRecalled(turn: TurnRecord, sides: ReadonlySet<Side>): string {
  const user = sides.has('user') && turn.userText ? `user: "${turn.userText}"` : '';
  const bot = sides.has('bot') && turn.reply ? `you: "${turn.reply}"` : '';
  return `${turn.at.slice(0, 10)} ${[user, bot].filter(Boolean).join(' ')}`;
}

export interface RelevantRecall {
  /** Lines for the prompt, best first, and the turns they come from. */
  (query: string, older: readonly TurnRecord[], budgetChars: number, now?: Date): string[];
}

export function createRelevantRecall(ranker: TurnRanker): RelevantRecall {
  return (query, older, budgetChars, now) => {
    if (budgetChars <= 0 || older.length === 0) return [];
    const picked = new Map<number, Set<Side>>();
    const lengths = new Map<number, number>();
    let used = 0;
    for (const { turn, side } of ranker.messages(query, older, now).slice(0, CANDIDATES) as MessageRef[]) {
      const sides = new Set(picked.get(turn) ?? []).add(side);
      const length = formatRecalled(older[turn] as TurnRecord, sides).length;
      const grows = length - (lengths.get(turn) ?? 0);
      // One that does not fit is passed over: a shorter one further down may.
      if (used + grows > budgetChars) continue;
      picked.set(turn, sides);
      lengths.set(turn, length);
      used += grows;
    }
    return [...picked].map(([turn, sides]) => formatRecalled(older[turn] as TurnRecord, sides));
  };
}
