/**
 * The prompt of one turn, from the character (system, bio, style, adjectives, topics,
 * message examples, the knowledge passages this message is about), the user's memory (recalled turns and facts), the reply plan from the
 * Generation process, plugin context, and the recent conversation.
 */
import type { LoadedCharacter } from '../character/types.js';
import type { ChatMessage } from '../inference/types.js';
import { seededShuffle } from './seeded.js';

export interface PromptInput {
  character: LoadedCharacter;
  userName?: string;
  userText: string;
  recent: Array<{ role: 'user' | 'assistant'; text: string }>;
  recalled: string[];
  facts: string[];
  plan?: { tone: string; length: 'short' | 'medium' | 'long'; acknowledge: string[] } | undefined;
  context?: string[];
  /** Passages of the character's knowledge relevant to this message, best first. */
  knowledge?: string[];
  seed: string;
  /** Upper bound on the prompt's characters; the oldest turns and least relevant memories go first. */
  maxChars?: number;
}

const lengthAdvice = { short: 'one or two sentences', medium: 'a short paragraph', long: 'a few paragraphs if needed' } as const;

/** elizaOS placeholders: {{name}}/{{agentName}} are the character, {{user}}/{{user1}}/{{name1}} the person. */
export function fillPlaceholders(text: string, agentName: string, userName: string): string {
  return text
    .replace(/\{\{\s*(agentName|name|char)\s*\}\}/g, agentName)
    .replace(/\{\{\s*(user\d*|name\d+|userName)\s*\}\}/g, userName);
}

function section(title: string, lines: string[]): string {
  return lines.length ? `# ${title}\n${lines.map((line) => `- ${line}`).join('\n')}` : '';
}

export function buildPrompt(input: PromptInput): ChatMessage[] {
  const { character } = input;
  const user = input.userName ?? 'User';
  const fill = (text: string) => fillPlaceholders(text, character.name, user);
  const maxChars = input.maxChars ?? 12_000;

  const bio = seededShuffle(character.bio, input.seed).slice(0, 8).map(fill);
  const examples = seededShuffle(character.messageExamples, `${input.seed}:examples`)
    .slice(0, 3)
    .map((conversation) => conversation.map((m) => `${fill(m.name)}: ${fill(m.text)}`).join('\n'));

  const persona = [
    fill(character.system ?? `You are ${character.name}.`),
    section(`About ${character.name}`, bio),
    character.adjectives.length ? `${character.name} is ${seededShuffle(character.adjectives, `${input.seed}:adj`).slice(0, 5).join(', ')}.` : '',
    character.topics.length ? `${character.name} likes to talk about: ${seededShuffle(character.topics, `${input.seed}:topics`).slice(0, 8).join(', ')}.` : '',
    section('Style', [...character.style.all, ...character.style.chat].map(fill)),
    examples.length ? `# Example conversations\n${examples.join('\n\n')}` : '',
  ];
  const plan = input.plan
    ? [
        `# How to answer this message`,
        `- Tone: ${input.plan.tone}. Length: ${lengthAdvice[input.plan.length]}.`,
        ...input.plan.acknowledge.map((item) => `- Acknowledge: ${item}`),
      ].join('\n')
    : '';
  const ending = `Reply as ${character.name}, in character, to the last message only.`;

  // Memory and context are dropped from the end (least relevant last) until the prompt fits.
  let facts = [...input.facts];
  let recalled = [...input.recalled];
  let context = [...(input.context ?? [])];
  let knowledge = [...(input.knowledge ?? [])];
  let recent = [...input.recent];
  const memoryBlock = () =>
    [
      section(`What ${character.name} knows (use it when it helps answer)`, knowledge),
      section(`What ${character.name} knows about ${user} (from earlier conversations; private to this user)`, facts),
      section(`Earlier conversation with ${user} that may be relevant`, recalled),
      section('Context', context),
    ].filter(Boolean).join('\n\n');
  const size = () =>
    [...persona, memoryBlock(), plan, ending].join('\n\n').length + recent.reduce((n, m) => n + m.text.length, 0) + input.userText.length;
  while (size() > maxChars) {
    if (recalled.length > 0) recalled = recalled.slice(0, -1);
    else if (knowledge.length > 1) knowledge = knowledge.slice(0, -1);
    else if (recent.length > 0) recent = recent.slice(2);
    else if (context.length > 0) context = context.slice(0, -1);
    else if (facts.length > 0) facts = facts.slice(0, -1);
    else if (knowledge.length > 0) knowledge = knowledge.slice(0, -1);
    else break;
  }

  const system = [...persona, memoryBlock(), plan, ending].filter((part) => part.trim() !== '').join('\n\n');
  return [
    { role: 'system', content: system },
    ...recent.map((m) => ({ role: m.role, content: m.text })),
    { role: 'user', content: input.userText },
  ];
}
