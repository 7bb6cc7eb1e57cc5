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
 */
import { countTerms, createBm25Updater, pairsOf, terms, topIndexes, type Bm25Index, type Bm25Params, type TermCounts } from '../text/bm25.js';
import { timeRanges } from '../text/time-expressions.js';
import { askedType, entityTypes, holdsType } from './answer-types.js';
import type { TurnRecord } from './records.js';
import { addressedNames, askedSide, createNameTally, type NameTally, type Side, type SpeakerNames } from './speakers.js';

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
};

/** Words of a question that are about the asking, not the topic ("what kind of ... did she like"). */
const QUESTION_WORDS = new Set(terms('did does do done kind kinds type types sort many much often how what which who whom whose when where why would could should might may can likely recently ever something anything thing things one ones'));

/** One message of a remembered turn: the user's words or the bot's reply. */
export interface MessageRef {
  turn: number;
  side: Side;
}

/** What is kept of each turn between messages, so that a new message only analyses itself. */
interface TurnFeatures {
  ms: number;
  counts: Partial<Record<Side, TermCounts>>;
  /** Each side's neighbouring word pairs ("dance studio"). */
  pairs: Partial<Record<Side, string[]>>;
  addressedByUser: string[];
  addressedByBot: string[];
  userNames: string[];
  userEntities: Set<string>;
  /** Each side's counts with its neighbours' words, and the neighbours they were made with. */
  expanded: Partial<Record<Side, { counts: TermCounts; before: TermCounts | undefined; after: TermCounts | undefined }>>;
}

interface Message extends MessageRef {
  text: string;
  /** It asks something: the other party's next message is likely the answer. */
  asks: boolean;
  ms: number;
  own: TermCounts;
  features: TurnFeatures;
}

export interface TurnRanker {
  /** Indexes of the best `k` turns (by their best message) with a positive score, best first. */
  (query: string, turns: readonly TurnRecord[], k: number, now?: Date): number[];
  /** The messages with a positive score, best first. */
  messages(query: string, turns: readonly TurnRecord[], now?: Date): MessageRef[];
}

const nameFacts = (understanding: unknown): string[] => {
  const facts = typeof understanding === 'object' && understanding !== null ? (understanding as { facts?: unknown }).facts : undefined;
  if (!Array.isArray(facts)) return [];
  return facts.flatMap((f: unknown) => {
    const fact = f as { kind?: unknown; text?: unknown };
    return typeof f === 'object' && f !== null && fact.kind === 'name' && typeof fact.text === 'string' ? terms(fact.text) : [];
  });
};

/** A weighted sum of term counts: a message's own words and pairs, plus a share of its neighbours' words. */
function blend(own: TermCounts, pairs: readonly string[], others: Array<TermCounts | undefined>, weight: number): TermCounts {
  const tf = new Map(own.tf);
  for (const pair of pairs) tf.set(pair, (tf.get(pair) ?? 0) + 1);
  let length = own.length;
  for (const other of others) {
    if (other === undefined || weight === 0) continue;
    for (const [term, f] of other.tf) tf.set(term, (tf.get(term) ?? 0) + weight * f);
    length += weight * other.length;
  }
  return { tf, length };
}

/**
 * A turn's analysis is kept with it (its record lives as long as its user's memory in RAM), so
 * each new message tokenises only itself, not the whole history again.
 */
export function createTurnRanker(options: RankOptions = RANKING): TurnRanker {
  const kept = new WeakMap<TurnRecord, TurnFeatures>();
  const featuresOf = (turn: TurnRecord): TurnFeatures => {
    let features = kept.get(turn);
    if (features === undefined) {
      const counts: TurnFeatures['counts'] = {};
      const pairs: TurnFeatures['pairs'] = {};
      for (const [side, text] of [['user', turn.userText], ['bot', turn.reply]] as const) {
        if (!text) continue;
        const words = terms(text);
        counts[side] = countTerms(words);
        // Only a message's own pairs are indexed: its neighbours' would cost more than they find.
        if (options.pairs > 0) pairs[side] = pairsOf(words);
      }
      features = {
        ms: Date.parse(turn.at),
        counts,
        pairs,
        addressedByUser: addressedNames(turn.userText),
        addressedByBot: addressedNames(turn.reply),
        userNames: nameFacts(turn.understanding),
        userEntities: entityTypes(turn.understanding),
        expanded: {},
      };
      kept.set(turn, features);
    }
    return features;
  };

  /** A user's list of turns as last ranked: its messages, their index entries, the index and the names. */
  interface ListState {
    turns: TurnRecord[];
    messages: Message[];
    expanded: TermCounts[];
    update: (counts: readonly TermCounts[]) => Bm25Index;
    tally: NameTally;
  }
  // One state per user's list, found by its first turn: the list grows at its end (a forget
  // starts another), so a new message costs the turns that changed, not the whole history.
  const states = new WeakMap<TurnRecord, ListState>();

  const near = (a: Message | undefined, b: Message | undefined) => a !== undefined && b !== undefined && Math.abs(a.ms - b.ms) <= options.sessionGapMs;

  function stateFor(turns: readonly TurnRecord[]): { messages: Message[]; index: Bm25Index; names: SpeakerNames } {
    const first = turns[0] as TurnRecord;
    let state = states.get(first);
    if (state === undefined) {
      state = { turns: [], messages: [], expanded: [], update: createBm25Updater(options), tally: createNameTally() };
      states.set(first, state);
    }
    let same = 0;
    while (same < turns.length && same < state.turns.length && turns[same] === state.turns[same]) same++;
    for (const turn of state.turns.slice(same)) state.tally.add(featuresOf(turn), -1);
    let kept = state.messages.findIndex((m) => m.turn >= same);
    if (kept < 0) kept = state.messages.length;
    state.messages.length = kept;
    turns.slice(same).forEach((turn, offset) => {
      const features = featuresOf(turn);
      state.tally.add(features);
      for (const side of ['user', 'bot'] as const) {
        const own = features.counts[side];
        if (own) {
          const text = side === 'user' ? turn.userText : turn.reply;
          state.messages.push({ turn: same + offset, side, text, asks: text.includes('?'), ms: features.ms, own, features });
        }
      }
    });
    state.turns = [...turns];
    // The message before the first new one has a new neighbour: its entry is made again too.
    state.expanded.length = Math.max(0, kept - 1);
    for (let i = state.expanded.length; i < state.messages.length; i++) state.expanded.push(expand(state.messages, i));
    return { messages: state.messages, index: state.update(state.expanded), names: state.tally.names() };
  }

  /** A message's index entry with its neighbours' words, made again only when a neighbour changed. */
  function expand(messages: readonly Message[], i: number): TermCounts {
    const m = messages[i] as Message;
    const before = near(m, messages[i - 1]) ? messages[i - 1]?.own : undefined;
    const after = near(m, messages[i + 1]) ? messages[i + 1]?.own : undefined;
    const cached = m.features.expanded[m.side];
    if (cached && cached.before === before && cached.after === after) return cached.counts;
    const counts = blend(m.own, m.features.pairs[m.side] ?? [], [before, after], options.context);
    m.features.expanded[m.side] = { counts, before, after };
    return counts;
  }

  function scored(query: string, turns: readonly TurnRecord[], now: Date): { messages: Message[]; scores: Float64Array } {
    const { messages, index, names } = stateFor(turns);
    const topic = terms(query).filter((term) => !QUESTION_WORDS.has(term));
    // A message of question words only ("what did I say?") still searches with them.
    const searched = topic.length > 0 ? topic : terms(query);
    const weights = new Map<string, number>(searched.map((term) => [term, 1]));
    if (options.pairs > 0) for (const pair of pairsOf(searched)) weights.set(pair, options.pairs);
    const own = index.scoreTerms(weights);
    const scores = new Float64Array(own.length);
    const side = askedSide(query, names);
    const type = askedType(query);
    const ranges = timeRanges(query, now);
    for (let i = 0; i < own.length; i++) {
      const m = messages[i] as Message;
      const previous = messages[i - 1];
      // An answer takes more of its question's score than other messages of their neighbour's.
      const before = previous !== undefined && near(m, previous) ? (previous.asks && previous.side !== m.side ? options.neighbour.answer : options.neighbour.before) : 0;
      let score = (own[i] as number) + before * (own[i - 1] ?? 0) + options.neighbour.after * (near(m, messages[i + 1]) ? (own[i + 1] as number) : 0);
      if (score === 0) continue;
      if (side !== undefined && m.side === side) score *= 1 + options.speaker;
      if (type !== undefined && holdsType(type, m.text, m.side === 'user' ? m.features.userEntities : undefined)) score *= 1 + options.answerType;
      if (ranges.some((r) => m.ms >= r.from && m.ms < r.to)) score *= 1 + options.timeBoost;
      scores[i] = score;
    }
    if (options.session > 0) addSessionShare(messages, scores);
    return { messages, scores };
  }

  /** Each scoring message gets a share of the best score in its conversation (session). */
  function addSessionShare(messages: readonly Message[], scores: Float64Array): void {
    let start = 0;
    for (let end = 1; end <= scores.length; end++) {
      if (end < scores.length && near(messages[end - 1], messages[end])) continue;
      let best = 0;
      for (let i = start; i < end; i++) best = Math.max(best, scores[i] as number);
      for (let i = start; i < end; i++) if ((scores[i] as number) > 0) scores[i] = (scores[i] as number) + options.session * best;
      start = end;
    }
  }

  function messages(query: string, turns: readonly TurnRecord[], now = new Date()): MessageRef[] {
    if (turns.length === 0) return [];
    const { messages: all, scores } = scored(query, turns, now);
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
