/**
 * Which remembered messages a new message is about. BM25 over each message (the user's words
 * and the bot's reply are ranked apart: a reply that only cheers does not ride on the words it
 * answers), then what lexical matching alone misses in long conversations. Each step was kept
 * because it raised recall on LoCoMo (`permachat eval memory`; figures in the README):
 * - question words ("what kind of", "did", "likely") and the parties' names say nothing about
 *   the topic, so they are not searched for;
 * - context: a message is indexed with its neighbours' words at a lower weight, and takes a
 *   share of their score (an answer sits next to its question; a photo after its story), a
 *   larger share when the message before it is the other party's question;
 * - word pairs: the question's neighbouring words ("dance studio") are searched for as pairs
 *   too, at half weight, so a message that has them side by side comes first;
 * - speakers: a question about one party ("What did Ines study?", "what did I say")
 *   prefers that party's messages (see speakers.ts);
 * - answer types: "when" prefers messages holding a time, "how many" a number (answer-types.ts);
 * - time: a message naming a date or month ("in June", "on 13 October 2023") prefers messages
 *   from then;
 * - session: a message gets a share of the best score in its conversation (a topic is talked
 *   about over several messages of one sitting).
 * - meaning: with word vectors loaded, a question word also finds words near it in meaning
 *   ("hobbies" → "gardening"; soft-matches.ts).
 */
import { topIndexes } from '../text/bm25.js';
import { messageIndexWith } from './message-index.js';
import { scoreMessages } from './message-scores.js';
import { RANKING, type RankOptions } from './rank-options.js';
import { createSoftMatcher, type SoftMatcher } from './soft-matches.js';
import type { WordVectors } from '../text/word-vectors.js';
import type { TurnRecord } from './records.js';
import { turnFeaturesWith, type Message, type MessageRef } from './turn-features.js';

export { RANKING, type RankOptions } from './rank-options.js';
export type { MessageRef } from './turn-features.js';

export interface TurnRanker {
  /** Indexes of the best `k` turns (by their best message) with a positive score, best first. */
  (query: string, turns: readonly TurnRecord[], k: number, now?: Date): number[];
  /** The messages with a positive score, best first. */
  messages(query: string, turns: readonly TurnRecord[], now?: Date): MessageRef[];
}

/**
 * A ranker over users' turns; what it learns of each turn and list is kept for the next message.
 * `vectors` gives the word vectors once they are loaded (undefined until then: lexical only).
 */
export function createTurnRanker(options: RankOptions = RANKING, vectors: () => WordVectors | undefined = () => undefined): TurnRanker {
  const indexFor = messageIndexWith(options, turnFeaturesWith(options));
  let soft: { vectors: WordVectors; match: SoftMatcher } | undefined;
  const softMatcher = () => {
    const loaded = vectors();
    if (loaded !== undefined && soft?.vectors !== loaded) soft = { vectors: loaded, match: createSoftMatcher(loaded, options.meaning) };
    return soft?.match;
  };

  function messages(query: string, turns: readonly TurnRecord[], now = new Date()): MessageRef[] {
    if (turns.length === 0) return [];
    const indexed = indexFor(turns);
    const scores = scoreMessages(options, indexed, query, now, softMatcher());
    const all = indexed.messages;
    return topIndexes(scores, scores.length).map((i) => ({ turn: (all[i] as Message).turn, side: (all[i] as Message).side }));
  }

  // k = 0 (a history listing recalls recent turns only) builds no index at all.
  const rank = (query: string, turns: readonly TurnRecord[], k: number, now?: Date) => {
    if (k <= 0) return [];
    const best: number[] = [];
    for (const m of messages(query, turns, now)) {
      if (!best.includes(m.turn)) best.push(m.turn);
      if (best.length === k) break;
    }
    return best;
  };
  return Object.assign(rank, { messages });
}
