/**
 * Who a message asks about: the user or the bot. A conversation names its two parties in how
 * they address each other ("Thanks, Marta!" from the user names the bot; "Hey Ines!" in
 * a reply names the user), and Understanding's name facts name the user. A question about one
 * of them ("What did Ines study?") is answered by that party's own words, and the name
 * itself says nothing about the topic: recall searches without it and prefers that side.
 */
import { stem } from '../text/bm25.js';

export type Side = 'user' | 'bot';

/** Words that open a line addressed to someone: the name that follows them is the other party's. */
const ADDRESS = 'hey|hi|hello|hiya|thanks|thank you|wow|congrats|congratulations|yeah|yes|yep|oh|sorry|awesome|great|good|cool|morning|evening|bye|definitely|absolutely|totally|sure|aw+';
// Case-insensitive on the opening word only ("Thanks"/"thanks"): the name must be capitalised.
const opening = ADDRESS.replace(/\b\p{Ll}/gu, (c) => `[${c}${c.toUpperCase()}]`);
const VOCATIVE = new RegExp(`\\b(?:${opening})[,!]?\\s+(\\p{Lu}\\p{Ll}{1,15})\\s*[,!?.]`, 'gu');
const NOT_NAMES = new Set(ADDRESS.split('|').map((w) => w.toLowerCase()));

/** The names a text uses to address someone ("Thanks, Mel!" → ["mel"]), stemmed as recall's terms are. */
export function addressedNames(text: string): string[] {
  return [...text.matchAll(VOCATIVE)].flatMap((m) => {
    const name = (m[1] ?? '').toLowerCase();
    return NOT_NAMES.has(name) ? [] : [stem(name)];
  });
}

export interface SpeakerNames {
  /** Stemmed name → the side it names. */
  side: Map<string, Side>;
}

/** What one turn says about names: whom each side addresses, and the user's own name facts. */
export interface NameUses {
  addressedByUser: readonly string[];
  addressedByBot: readonly string[];
  userNames: readonly string[];
}

export interface NameTally {
  add(uses: NameUses, sign?: 1 | -1): void;
  /**
   * Names used for each side often enough to be theirs: a name the user addresses is the bot's,
   * and the other way round; a name fact is the user's.
   */
  names(): SpeakerNames;
}

/** Counts kept as turns come and go, so that a new message does not count the whole history again. */
export function createNameTally(): NameTally {
  const counts: Record<Side, Map<string, number>> = { user: new Map(), bot: new Map() };
  const add = (side: Side, name: string, n: number) => counts[side].set(name, (counts[side].get(name) ?? 0) + n);
  return {
    add(uses, sign = 1) {
      for (const name of uses.addressedByUser) add('bot', name, sign);
      for (const name of uses.addressedByBot) add('user', name, sign);
      for (const name of uses.userNames) add('user', name, 3 * sign);
    },
    names() {
      const side = new Map<string, Side>();
      for (const s of ['user', 'bot'] as const) {
        const top = Math.max(0, ...counts[s].values());
        // Once or twice is chance ("Wow, Paris!"); a party's name comes back again and again.
        for (const [name, n] of counts[s]) if (n >= 3 && n >= top / 5 && !side.has(name)) side.set(name, s);
      }
      return { side };
    },
  };
}

const FIRST_PERSON = new Set(['i', 'me', 'my', 'mine', 'myself']);
const SECOND_PERSON = new Set(['you', 'your', 'yours', 'yourself']);

/** The side the query asks about: the first party it names, or "I"/"you"; undefined when neither. */
export function askedSide(query: string, names: SpeakerNames): Side | undefined {
  for (const word of query.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []) {
    const bare = word.replace(/'s$/, '');
    if (FIRST_PERSON.has(bare)) return 'user';
    if (SECOND_PERSON.has(bare)) return 'bot';
    const side = names.side.get(stem(bare));
    if (side) return side;
  }
  return undefined;
}
