/**
 * The kind of answer a question asks for ("when" → a time, "how many" → a number, "where" → a
 * place, "who" → a person) and whether a message holds one. A message that shares the
 * question's words and holds that kind of answer is the likelier answer. Understanding's
 * entities, stored with the user's turns, say it where present; the patterns cover the rest
 * (the bot's replies are not analysed).
 */
export type AnswerType = 'time' | 'number' | 'place' | 'person';

const ASKS: Array<[RegExp, AnswerType]> = [
  [/^\s*when\b|\bwhat (?:year|month|day|date)\b|\bhow long ago\b/i, 'time'],
  [/^\s*how (?:many|much|long|often|old)\b/i, 'number'],
  [/^\s*where\b/i, 'place'],
  [/^\s*(?:who|whom|whose)\b/i, 'person'],
];

const HOLDS: Record<AnswerType, RegExp> = {
  time: /\b(?:yesterday|today|tonight|ago|(?:last|next|this) (?:week|weekend|month|year|night|summer|winter|spring|fall|autumn)|january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:19|20)\d\d|weeks?|months?|years?)\b/i,
  number: /\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|once|twice|several|few|dozen|hundred|times|daily|weekly|every)\b/i,
  place: /\b(?:in|at|to|from|near|visit\w*) \p{Lu}\p{Ll}+/u,
  person: /\b(?:friends?|mom|dad|mother|father|sister|brother|wife|husband|son|daughter|kids?|family|boss|colleague|teacher|mentor|neighbou?r|partner|girlfriend|boyfriend)\b|\p{Ll} \p{Lu}\p{Ll}+/u,
};

/** Understanding's entity types that answer each kind. */
const ENTITY_TYPES: Record<AnswerType, string[]> = { time: ['date', 'time'], number: ['number'], place: ['place'], person: ['person'] };

export function askedType(question: string): AnswerType | undefined {
  return ASKS.find(([pattern]) => pattern.test(question))?.[1];
}

/** Entity types of an Understanding analysis (`entities: [{ type, text }]`); none when it holds no entities. */
export function entityTypes(understanding: unknown): Set<string> {
  const entities = typeof understanding === 'object' && understanding !== null ? (understanding as { entities?: unknown }).entities : undefined;
  if (!Array.isArray(entities)) return new Set();
  return new Set(entities.flatMap((e: unknown) => (typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' ? [(e as { type: string }).type] : [])));
}

export function holdsType(type: AnswerType, text: string, entities: ReadonlySet<string> = new Set()): boolean {
  return ENTITY_TYPES[type].some((t) => entities.has(t)) || HOLDS[type].test(text);
}
