/**
 * The ranker's BM25 index over a user's messages, kept per list of turns and brought up to date
 * with only the turns that changed. Each message is indexed with its neighbours' words at a
 * lower weight (an answer sits next to its question).
 */
import { createBm25Updater, type Bm25Index, type TermCounts } from '../text/bm25.js';
import type { RankOptions } from './rank-options.js';
import type { TurnRecord } from './records.js';
import { createNameTally, type NameTally, type SpeakerNames } from './speakers.js';
import type { Message, TurnFeatures } from './turn-features.js';

/** Whether two messages are of one conversation (no longer gap between them). */
export const near = (gapMs: number, a: Message | undefined, b: Message | undefined) => a !== undefined && b !== undefined && Math.abs(a.ms - b.ms) <= gapMs;

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

/** A message's index entry with its neighbours' words, made again only when a neighbour changed. */
function expand(options: RankOptions, messages: readonly Message[], i: number): TermCounts {
  const m = messages[i] as Message;
  const before = near(options.sessionGapMs, m, messages[i - 1]) ? messages[i - 1]?.own : undefined;
  const after = near(options.sessionGapMs, m, messages[i + 1]) ? messages[i + 1]?.own : undefined;
  const cached = m.features.expanded[m.side];
  if (cached && cached.before === before && cached.after === after) return cached.counts;
  const counts = blend(m.own, m.features.pairs[m.side] ?? [], [before, after], options.context);
  m.features.expanded[m.side] = { counts, before, after };
  return counts;
}

/** A user's list of turns as last ranked: its messages, their index entries, the index and the names. */
interface ListState {
  turns: TurnRecord[];
  messages: Message[];
  expanded: TermCounts[];
  update: (counts: readonly TermCounts[]) => Bm25Index;
  tally: NameTally;
}

export interface IndexedMessages {
  messages: Message[];
  index: Bm25Index;
  names: SpeakerNames;
}

/** Drops the messages of the turns after `same` (they changed) and appends those of the new ones. */
function replaceTail(state: ListState, turns: readonly TurnRecord[], same: number, featuresOf: (turn: TurnRecord) => TurnFeatures): number {
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
  return kept;
}

/** Returns indexFor: the messages of a (non-empty) list of turns, indexed, and the parties' names. */
export function messageIndexWith(options: RankOptions, featuresOf: (turn: TurnRecord) => TurnFeatures): (turns: readonly TurnRecord[]) => IndexedMessages {
  // One state per user's list, found by its first turn: the list grows at its end (a forget
  // starts another), so a new message costs the turns that changed, not the whole history.
  const states = new WeakMap<TurnRecord, ListState>();
  return function indexFor(turns) {
    const first = turns[0] as TurnRecord;
    let state = states.get(first);
    if (state === undefined) {
      state = { turns: [], messages: [], expanded: [], update: createBm25Updater(options), tally: createNameTally() };
      states.set(first, state);
    }
    let same = 0;
    while (same < turns.length && same < state.turns.length && turns[same] === state.turns[same]) same++;
    const kept = replaceTail(state, turns, same, featuresOf);
    // The message before the first new one has a new neighbour: its entry is made again too.
    state.expanded.length = Math.max(0, kept - 1);
    for (let i = state.expanded.length; i < state.messages.length; i++) state.expanded.push(expand(options, state.messages, i));
    return { messages: state.messages, index: state.update(state.expanded), names: state.tally.names() };
  };
}
