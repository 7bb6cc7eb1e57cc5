/**
 * The prompt of one turn, laid out so that the next turn's prompt extends it:
 *   1. system: the persona and reply rules (./persona.ts), the same all conversation long;
 *   2. the conversation so far (the service's window of recent turns, which drops old turns in
 *      chunks, never one per turn);
 *   3. system: this turn's notes (knowledge passages about this message, what the character
 *      knows about the user, relevant earlier turns, plugin context, the reply plan);
 *   4. the user's new message.
 * Next turn, 1 and 2 (with this turn's exchange added) are unchanged, so the model keeps what it
 * evaluated of them and evaluates only the new notes and message.
 */
import type { LoadedCharacter } from '../character/types.js';
import type { ChatMessage } from '../inference/types.js';
import { persona, section } from './persona.js';

export { fillPlaceholders } from './placeholders.js';

export interface StablePromptInput {
  character: LoadedCharacter;
  userName?: string;
  recent: Array<{ role: 'user' | 'assistant'; text: string }>;
  /** Chooses the character's bio lines, examples, adjectives and topics: one seed per conversation. */
  seed: string;
  /** Upper bound on the prompt's characters (notes and message included). */
  maxChars?: number;
}

export interface PromptInput extends StablePromptInput {
  userText: string;
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

const chars = (messages: Array<{ text: string }>) => messages.reduce((n, m) => n + m.text.length, 0);

/**
 * The system message and the conversation so far: the part of the prompt known before memory
 * recall and the AO analysis are done, which the model can start evaluating.
 */
export function buildStablePrompt(input: StablePromptInput): ChatMessage[] {
  const system = persona(input.character, input.userName ?? 'User', input.seed);
  const budget = Math.floor((input.maxChars ?? DEFAULT_MAX_CHARS) * STABLE_SHARE) - system.length;
  // A last resort (the service's window keeps the history within bounds): the oldest half of
  // the turns goes at once, so that the following turns keep the same start.
  let recent = [...input.recent];
  while (recent.length > 0 && chars(recent) > budget) recent = recent.slice(2 * Math.max(1, Math.floor(recent.length / 4)));
  return [{ role: 'system', content: system }, ...recent.map((m) => ({ role: m.role, content: m.text }))];
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
  const notes = () =>
    [
      section(`What ${character.name} knows (use it when it helps answer)`, knowledge),
      section(`What ${character.name} knows about ${user} (from earlier conversations; private to this user)`, facts),
      section(`Earlier conversation with ${user} that may be relevant`, recalled),
      section('Context', context),
      plan,
    ]
      .filter(Boolean)
      .join('\n\n');
  const fixed = stable.reduce((n, m) => n + m.content.length, 0) + input.userText.length;
  while (fixed + notes().length > maxChars) {
    if (recalled.length > 0) recalled = recalled.slice(0, -1);
    else if (knowledge.length > 1) knowledge = knowledge.slice(0, -1);
    else if (context.length > 0) context = context.slice(0, -1);
    else if (facts.length > 0) facts = facts.slice(0, -1);
    else if (knowledge.length > 0) knowledge = knowledge.slice(0, -1);
    else break;
  }

  const turnNotes = notes();
  return [
    ...stable,
    ...(turnNotes ? [{ role: 'system' as const, content: turnNotes }] : []),
    { role: 'user', content: input.userText },
  ];
}
