/**
 * The prompt of one turn, laid out so that the next turn's prompt extends it:
 *   1. system: the persona and reply rules (./persona.ts), the same all conversation long;
 *   2. the conversation so far (the service's window of recent turns, which drops old turns in
 *      chunks, never one per turn), each message after the notes first shown for it
 *      (./turn-notes.ts: knowledge passages, facts, earlier turns; never repeated later);
 *   3. system: what this turn's notes add (the service passes only what is not shown above);
 *   4. system: this message's reply plan and plugin context;
 *   5. the user's new message.
 * Next turn, 1, 2 and 3 (with this turn's exchange added) are unchanged and 4 is gone: the model
 * keeps what it evaluated of them (erasing 4) and evaluates only the new notes, plan and message.
 */
import type { LoadedCharacter } from '../character/types.js';
import type { ChatMessage } from '../inference/types.js';
import { persona, section } from './persona.js';
import { hasNotes, type TurnNotes } from './turn-notes.js';

export { fillPlaceholders } from './placeholders.js';

/** A message of the conversation so far; a user's message carries the notes first shown for it. */
export interface RecentMessage {
  role: 'user' | 'assistant';
  text: string;
  notes?: TurnNotes;
}

export interface StablePromptInput {
  character: LoadedCharacter;
  userName?: string;
  recent: RecentMessage[];
  /** Chooses the character's bio lines, examples, adjectives and topics: one seed per conversation. */
  seed: string;
  /** Upper bound on the prompt's characters (notes and message included). */
  maxChars?: number;
}

export interface PromptInput extends StablePromptInput {
  userText: string;
  /** Earlier turns, facts and knowledge to show with this message: what `recent` does not show already. */
  recalled: string[];
  facts: string[];
  plan?: { tone: string; length: 'short' | 'medium' | 'long'; acknowledge: string[] } | undefined;
  context?: string[];
  /** Passages of the character's knowledge relevant to this message, best first. */
  knowledge?: string[];
}

const DEFAULT_MAX_CHARS = 12_000;
/** Persona and history may fill this share of the bound; the rest is kept for the notes and message. */
const STABLE_SHARE = 0.75;

const lengthAdvice = { short: 'one or two sentences', medium: 'a short paragraph', long: 'a few paragraphs if needed' } as const;

/** The notes that stay with a message (knowledge, facts, earlier turns), as the model reads them. */
export function lastingNotes(character: LoadedCharacter, user: string, notes: TurnNotes): string {
  return [
    section(`What ${character.name} knows (use it when it helps answer)`, notes.knowledge),
    section(`What ${character.name} knows about ${user} (from earlier conversations; private to this user)`, notes.facts),
    section(`Earlier conversation with ${user} that may be relevant`, notes.recalled),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function historyMessages(character: LoadedCharacter, user: string, recent: RecentMessage[]): ChatMessage[] {
  return recent.flatMap((m): ChatMessage[] => [
    ...(m.role === 'user' && hasNotes(m.notes) ? [{ role: 'system' as const, content: lastingNotes(character, user, m.notes) }] : []),
    { role: m.role, content: m.text },
  ]);
}

const chars = (messages: ChatMessage[]) => messages.reduce((n, m) => n + m.content.length, 0);

/**
 * The system message and the conversation so far: the part of the prompt known before memory
 * recall and the AO analysis are done, which the model can start evaluating.
 */
export function buildStablePrompt(input: StablePromptInput): ChatMessage[] {
  const user = input.userName ?? 'User';
  const system = persona(input.character, user, input.seed);
  const budget = Math.floor((input.maxChars ?? DEFAULT_MAX_CHARS) * STABLE_SHARE) - system.length;
  // A last resort (the service's window keeps the history within bounds): the oldest half of
  // the turns goes at once (with their notes), so that the following turns keep the same start.
  let recent = [...input.recent];
  while (recent.length > 0 && chars(historyMessages(input.character, user, recent)) > budget) recent = recent.slice(2 * Math.max(1, Math.floor(recent.length / 4)));
  return [{ role: 'system', content: system }, ...historyMessages(input.character, user, recent)];
}

export function buildPrompt(input: PromptInput): ChatMessage[] {
  const { character } = input;
  const user = input.userName ?? 'User';
  const maxChars = input.maxChars ?? DEFAULT_MAX_CHARS;
  const stable = buildStablePrompt(input);

  const plan = input.plan
    ? [
        `# How to answer this message`,
        `- Tone: ${input.plan.tone}. Length: ${lengthAdvice[input.plan.length]}.`,
        ...input.plan.acknowledge.map((item) => `- Acknowledge: ${item}`),
      ].join('\n')
    : '';
  // The notes are trimmed from their end (least relevant last) until the prompt fits.
  let facts = [...input.facts];
  let recalled = [...input.recalled];
  let context = [...(input.context ?? [])];
  let knowledge = [...(input.knowledge ?? [])];
  const lasting = () => lastingNotes(character, user, { knowledge, facts, recalled });
  const forMessage = () => [section('Context', context), plan].filter(Boolean).join('\n\n');
  const fixed = chars(stable) + input.userText.length;
  while (fixed + lasting().length + forMessage().length > maxChars) {
    if (recalled.length > 0) recalled = recalled.slice(0, -1);
    else if (knowledge.length > 1) knowledge = knowledge.slice(0, -1);
    else if (context.length > 0) context = context.slice(0, -1);
    else if (facts.length > 0) facts = facts.slice(0, -1);
    else if (knowledge.length > 0) knowledge = knowledge.slice(0, -1);
    else break;
  }

  // Two messages, so that the second (about this message only) can be left out next turn.
  return [
    ...stable,
    ...[lasting(), forMessage()].filter(Boolean).map((content) => ({ role: 'system' as const, content })),
    { role: 'user', content: input.userText },
  ];
}
