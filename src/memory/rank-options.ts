/** The relevance ranking's weights (see relevance.ts for what each step is for). */
import type { Bm25Params } from '../text/bm25.js';

export interface RankOptions extends Bm25Params {
  /** Weight of the neighbouring messages' words in a message's own index entry. */
  context: number;
  /**
   * Share of the previous and the next message's score a message adds to its own; `answer`
   * replaces `before` when the previous message is the other party's question.
   */
  neighbour: { before: number; after: number; answer: number };
  /** A message of the party the question asks about scores (1 + this) times as much. */
  speaker: number;
  /** A message holding the kind of answer asked for ("when" → a time) scores (1 + this) times as much. */
  answerType: number;
  /** A message from a time the question names scores (1 + this) times as much. */
  timeBoost: number;
  /** Share of the best score in its conversation (messages without a longer gap) a scoring message adds. */
  session: number;
  /** Weight of the query's word pairs ("dance studio"), found where a message has them side by side. */
  pairs: number;
  /** Messages further apart than this are not neighbours (a new conversation began). */
  sessionGapMs: number;
  /**
   * Soft matches by word vectors (soft-matches.ts), when they are loaded: `weight` of their
   * score next to BM25's, and the cosine a word pair must pass to count.
   */
  meaning: { weight: number; threshold: number };
}

export const RANKING: RankOptions = {
  k1: 1.2,
  b: 0.75,
  context: 0.5,
  neighbour: { before: 0.3, after: 0.3, answer: 0.7 },
  speaker: 0.5,
  answerType: 0.5,
  timeBoost: 1,
  session: 0.2,
  pairs: 0.5,
  sessionGapMs: 30 * 60 * 1000,
  meaning: { weight: 1, threshold: 0.45 },
};
