/**
 * The part of a turn's notes that stays in the conversation: the knowledge passages, facts and
 * earlier turns shown for that turn. They stay where they were first shown, just before that
 * turn's message, for as long as the turn stays in the prompt's window, and are not repeated:
 * a later turn's notes hold only what is new, so the model evaluates only that. (The reply plan
 * and plugin context are about one message: they are shown for it and then left out.)
 */
export interface TurnNotes {
  knowledge: string[];
  facts: string[];
  recalled: string[];
}

export const emptyNotes = (): TurnNotes => ({ knowledge: [], facts: [], recalled: [] });

export const hasNotes = (notes: TurnNotes | undefined): notes is TurnNotes =>
  notes !== undefined && notes.knowledge.length + notes.facts.length + notes.recalled.length > 0;

/** Of `notes`, what none of `shown` holds (each item once, in its order). */
export function unseenNotes(notes: TurnNotes, shown: Iterable<TurnNotes | undefined>): TurnNotes {
  const seen = { knowledge: new Set<string>(), facts: new Set<string>(), recalled: new Set<string>() };
  for (const earlier of shown) {
    if (!earlier) continue;
    for (const kind of ['knowledge', 'facts', 'recalled'] as const) for (const item of earlier[kind]) seen[kind].add(item);
  }
  const fresh = (kind: keyof TurnNotes) => {
    const out: string[] = [];
    for (const item of notes[kind]) {
      if (seen[kind].has(item)) continue;
      seen[kind].add(item);
      out.push(item);
    }
    return out;
  };
  return { knowledge: fresh('knowledge'), facts: fresh('facts'), recalled: fresh('recalled') };
}
