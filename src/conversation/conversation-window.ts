/**
 * What the service keeps in RAM of each conversation so that each turn's prompt extends the
 * last one (and the model reuses what it evaluated): the seed that picks the character's bio
 * lines and examples once per conversation, how many recent turns the last prompt showed, and
 * the notes (knowledge, facts, earlier turns) first shown with each of those turns, which stay
 * with it in later prompts instead of being repeated (../prompt/turn-notes.ts).
 *
 * The window of recent turns grows by the turn just answered until it reaches `maxTurns`, then
 * falls back to `minTurns` at once: old turns go in chunks, so the prompt's start changes once
 * every few turns, not every turn (dropping the oldest turn each time would change it each time).
 * Dropped by /reset and /forget; after a restart a conversation starts a new window and seed.
 */
import { sha256Hex } from '../hash.js';
import { unseenNotes, type TurnNotes } from '../prompt/turn-notes.js';

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
  /** By turn (see turnKey): the notes first shown with it, and its reply as the model wrote it. */
  turns: Map<string, TurnExtras>;
}

/** What the prompt shows of a turn besides its remembered text. */
interface TurnExtras {
  notes: TurnNotes;
  /**
   * The reply untrimmed, when trimming changed it: laid out like this, the next prompt holds the
   * tokens the model generated (and kept), not a re-tokenized variant that would be evaluated again.
   */
  said?: string;
}

interface Turn {
  userText: string;
  reply: string;
}

/** A turn's identity within a conversation's window (a repeated exchange shares its notes: harmless). */
const turnKey = (turn: Turn) => sha256Hex(`${turn.userText}\n${turn.reply}`);

const notesChars = (notes: TurnNotes | undefined) => (notes ? [...notes.knowledge, ...notes.facts, ...notes.recalled].reduce((n, item) => n + item.length, 0) : 0);

/** The turns the prompt shows of those recalled: the older half goes (repeatedly) while they (and their notes) are too long. */
export function fitWindow<T extends Turn & { notes?: TurnNotes }>(recent: T[], policy: WindowPolicy): T[] {
  let kept = recent;
  const chars = () => kept.reduce((n, turn) => n + turn.userText.length + turn.reply.length + notesChars(turn.notes), 0);
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
      const state = kept.get(key) ?? { seed: `${key}\n${opts.now().toISOString()}`, shown: undefined, turns: new Map() };
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
    /** The turns with the notes first shown with them (and the reply as written), if the conversation is kept. */
    withNotes<T extends Turn>(key: string, turns: T[]): Array<T & Partial<TurnExtras>> {
      const extras = kept.get(key)?.turns;
      return turns.map((turn) => {
        const shown = extras?.get(turnKey(turn));
        return shown ? { ...turn, ...shown } : turn;
      });
    },
    /** Of a turn's notes, what the shown turns do not hold already. */
    unseen(notes: TurnNotes, shownTurns: Array<{ notes?: TurnNotes }>): TurnNotes {
      return unseenNotes(notes, shownTurns.map((turn) => turn.notes));
    },
    /** The notes first shown with `turn` (and its reply untrimmed); those of turns no longer in `window` go. */
    noted(key: string, turn: Turn, extras: TurnExtras, window: Turn[]): void {
      const state = kept.get(key);
      if (!state) return;
      const inWindow = new Set(window.map(turnKey));
      for (const shown of state.turns.keys()) if (!inWindow.has(shown)) state.turns.delete(shown);
      state.turns.set(turnKey(turn), extras);
    },
    drop(key: string): void {
      kept.delete(key);
    },
  };
}

export type ConversationWindows = ReturnType<typeof createConversationWindows>;
