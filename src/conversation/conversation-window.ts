/**
 * What the service keeps in RAM of each conversation so that each turn's prompt extends the
 * last one (and the model reuses what it evaluated): the seed that picks the character's bio
 * lines and examples once per conversation, and how many recent turns the last prompt showed.
 *
 * The window of recent turns grows by the turn just answered until it reaches `maxTurns`, then
 * falls back to `minTurns` at once: old turns go in chunks, so the prompt's start changes once
 * every few turns, not every turn (dropping the oldest turn each time would change it each time).
 * Dropped by /reset and /forget; after a restart a conversation starts a new window and seed.
 */
export interface WindowPolicy {
  minTurns: number;
  maxTurns: number;
  /** The shown turns' text may not exceed this; over it, the older half goes. */
  maxChars: number;
}

/** About 1,500 tokens of history: with the persona and the turn's notes it fits a 4,096-token context. */
export const HISTORY_MAX_CHARS = 6000;

export const windowPolicy = (recentTurns: number): WindowPolicy => ({ minTurns: recentTurns, maxTurns: 2 * recentTurns, maxChars: HISTORY_MAX_CHARS });

export interface OpenWindow {
  seed: string;
  /** How many of the latest turns to ask memory for. */
  turns: number;
}

interface Kept {
  seed: string;
  shown: number | undefined;
}

/** The turns the prompt shows of those recalled: the older half goes (repeatedly) while they are too long. */
export function fitWindow<T extends { userText: string; reply: string }>(recent: T[], policy: WindowPolicy): T[] {
  let kept = recent;
  const chars = () => kept.reduce((n, turn) => n + turn.userText.length + turn.reply.length, 0);
  while (kept.length > 1 && chars() > policy.maxChars) kept = kept.slice(Math.floor(kept.length / 2));
  return kept;
}

export function createConversationWindows(policy: WindowPolicy, opts: { now: () => Date; maxConversations?: number }) {
  const kept = new Map<string, Kept>();
  const limit = opts.maxConversations ?? 10_000;
  const turnsAfter = (state: Kept) => {
    const grown = state.shown === undefined ? policy.minTurns : state.shown + 1;
    return grown > policy.maxTurns ? policy.minTurns : grown;
  };
  return {
    open(key: string): OpenWindow {
      const state = kept.get(key) ?? { seed: `${key}\n${opts.now().toISOString()}`, shown: undefined };
      // Most recently used last, so the first is the one to forget when there are too many.
      kept.delete(key);
      kept.set(key, state);
      if (kept.size > limit) kept.delete(kept.keys().next().value as string);
      return { seed: state.seed, turns: turnsAfter(state) };
    },
    /** What the next turn will open, without opening it (undefined for a conversation not kept). */
    peek(key: string): OpenWindow | undefined {
      const state = kept.get(key);
      return state && { seed: state.seed, turns: turnsAfter(state) };
    },
    /** How many turns this turn's prompt showed: the next one shows them and the new one. */
    shown(key: string, turns: number): void {
      const state = kept.get(key);
      if (state) state.shown = turns;
    },
    drop(key: string): void {
      kept.delete(key);
    },
  };
}
