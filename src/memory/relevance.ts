/** Which remembered turns a new message is about (BM25 over their texts). */
import { bm25IndexOf, termCounts, type TermCounts } from '../text/bm25.js';
import type { TurnRecord } from './records.js';

/**
 * Ranks turns against the query; returns indexes of the best `k` with a positive score. A
 * turn's term counts are kept with it (its record lives as long as its user's memory in RAM),
 * so each new message tokenises only itself, not the whole history again.
 */
export function createTurnRanker(): (query: string, turns: readonly TurnRecord[], k: number) => number[] {
  const counted = new WeakMap<TurnRecord, TermCounts>();
  const countsOf = (turn: TurnRecord) => {
    let counts = counted.get(turn);
    if (counts === undefined) {
      counts = termCounts(`${turn.userText} ${turn.reply}`);
      counted.set(turn, counts);
    }
    return counts;
  };
  // k = 0 (a history listing recalls recent turns only) builds no index at all.
  return (query, turns, k) => (k > 0 ? bm25IndexOf(turns.map(countsOf)).search(query, k) : []);
}
