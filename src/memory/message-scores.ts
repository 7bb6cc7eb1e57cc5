/**
 * Scores every indexed message for a query: its BM25 score over the topic words and their pairs,
 * a share of its neighbours' (more for the answer to a question), then boosts for the party,
 * the kind of answer and the time the query asks about, and a share of its conversation's best.
 */
import { contentWords, pairsOf, stem, terms } from '../text/bm25.js';
import { timeRanges } from '../text/time-expressions.js';
import { askedType, holdsType } from './answer-types.js';
import { near, type IndexedMessages } from './message-index.js';
import type { RankOptions } from './rank-options.js';
import type { SoftMatcher } from './soft-matches.js';
import { askedSide } from './speakers.js';
import type { Message } from './turn-features.js';

/** Words of a question that are about the asking, not the topic ("what kind of ... did she like"). */
const QUESTION_WORDS = new Set(terms('did does do done kind kinds type types sort many much often how what which who whom whose when where why would could should might may can likely recently ever something anything thing things one ones'));

/**
 * The BM25 score of each message for the query's topic words and their pairs, plus the soft
 * matches of those words (not the parties' names) when word vectors are there.
 */
function topicScores(options: RankOptions, indexed: IndexedMessages, query: string, soft?: SoftMatcher): Float64Array {
  const topic = terms(query).filter((term) => !QUESTION_WORDS.has(term));
  // A message of question words only ("what did I say?") still searches with them.
  const searched = topic.length > 0 ? topic : terms(query);
  const weights = new Map<string, number>(searched.map((term) => [term, 1]));
  if (options.pairs > 0) for (const pair of pairsOf(searched)) weights.set(pair, options.pairs);
  const scores = indexed.index.scoreTerms(weights);
  if (soft === undefined || options.meaning.weight === 0) return scores;
  const words = contentWords(query);
  const topicWords = words.filter((w) => !QUESTION_WORDS.has(stem(w)) && !indexed.names.side.has(stem(w)));
  const meant = soft(indexed, topicWords.length > 0 ? topicWords : words);
  for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) + options.meaning.weight * (meant[i] as number);
  return scores;
}

/** Each scoring message gets a share of the best score in its conversation (session). */
function addSessionShare(options: RankOptions, messages: readonly Message[], scores: Float64Array): void {
  let start = 0;
  for (let end = 1; end <= scores.length; end++) {
    if (end < scores.length && near(options.sessionGapMs, messages[end - 1], messages[end])) continue;
    let best = 0;
    for (let i = start; i < end; i++) best = Math.max(best, scores[i] as number);
    for (let i = start; i < end; i++) if ((scores[i] as number) > 0) scores[i] = (scores[i] as number) + options.session * best;
    start = end;
  }
}

export function scoreMessages(options: RankOptions, indexed: IndexedMessages, query: string, now: Date, soft?: SoftMatcher): Float64Array {
  const { messages, names } = indexed;
  const own = topicScores(options, indexed, query, soft);
  const scores = new Float64Array(own.length);
  const side = askedSide(query, names);
  const type = askedType(query);
  const ranges = timeRanges(query, now);
  const nearby = (a: Message | undefined, b: Message | undefined) => near(options.sessionGapMs, a, b);
  for (let i = 0; i < own.length; i++) {
    const m = messages[i] as Message;
    const previous = messages[i - 1];
    // An answer takes more of its question's score than other messages of their neighbour's.
    const before = previous !== undefined && nearby(m, previous) ? (previous.asks && previous.side !== m.side ? options.neighbour.answer : options.neighbour.before) : 0;
    let score = (own[i] as number) + before * (own[i - 1] ?? 0) + options.neighbour.after * (nearby(m, messages[i + 1]) ? (own[i + 1] as number) : 0);
    if (score === 0) continue;
    if (side !== undefined && m.side === side) score *= 1 + options.speaker;
    if (type !== undefined && holdsType(type, m.text, m.side === 'user' ? m.features.userEntities : undefined)) score *= 1 + options.answerType;
    if (ranges.some((r) => m.ms >= r.from && m.ms < r.to)) score *= 1 + options.timeBoost;
    scores[i] = score;
  }
  if (options.session > 0) addSessionShare(options, messages, scores);
  return scores;
}
