/** Facts about the user that the Understanding process flagged in a message. */
import type { LearnedFact } from './ports.js';

/** Facts flagged by Understanding (`facts: [{ kind, text }]`) become memory records. */
export function factsFrom(understanding: unknown, turnId: string): LearnedFact[] {
  if (typeof understanding !== 'object' || understanding === null) return [];
  const facts = (understanding as { facts?: unknown }).facts;
  if (!Array.isArray(facts)) return [];
  return facts.flatMap((fact: unknown) => {
    if (typeof fact !== 'object' || fact === null) return [];
    const { kind, text } = fact as { kind?: unknown; text?: unknown };
    return typeof kind === 'string' && typeof text === 'string' ? [{ factKind: kind, text, sourceTurnId: turnId }] : [];
  });
}
