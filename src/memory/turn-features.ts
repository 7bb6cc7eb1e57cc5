/**
 * What the ranker keeps of each remembered turn: its messages' term counts and pairs, the names
 * they address and the kinds of thing they hold. A turn's analysis is kept with it (its record
 * lives as long as its user's memory in RAM), so each new message tokenises only itself, not the
 * whole history again.
 */
import { countTerms, pairsOf, terms, type TermCounts } from '../text/bm25.js';
import { entityTypes } from './answer-types.js';
import type { RankOptions } from './rank-options.js';
import type { TurnRecord } from './records.js';
import { addressedNames, type Side } from './speakers.js';

/** One message of a remembered turn: the user's words or the bot's reply. */
export interface MessageRef {
  turn: number;
  side: Side;
}

/** What is kept of each turn between messages, so that a new message only analyses itself. */
export interface TurnFeatures {
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

export interface Message extends MessageRef {
  text: string;
  /** It asks something: the other party's next message is likely the answer. */
  asks: boolean;
  ms: number;
  own: TermCounts;
  features: TurnFeatures;
}

const nameFacts = (understanding: unknown): string[] => {
  const facts = typeof understanding === 'object' && understanding !== null ? (understanding as { facts?: unknown }).facts : undefined;
  if (!Array.isArray(facts)) return [];
  return facts.flatMap((f: unknown) => {
    const fact = f as { kind?: unknown; text?: unknown };
    return typeof f === 'object' && f !== null && fact.kind === 'name' && typeof fact.text === 'string' ? terms(fact.text) : [];
  });
};

/** Returns featuresOf: a turn's features, analysed on first use and kept with the turn. */
export function turnFeaturesWith(options: Pick<RankOptions, 'pairs'>): (turn: TurnRecord) => TurnFeatures {
  const kept = new WeakMap<TurnRecord, TurnFeatures>();
  return (turn) => {
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
}
