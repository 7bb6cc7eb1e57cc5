/**
 * The system message: what the character contributes (system prompt, bio lines, adjectives,
 * topics, style, example conversations) and the reply rules. elizaOS samples the bio lines and
 * examples at random; we sample them once per conversation (the seed), so every prompt of a
 * conversation starts with the same system message and the model's evaluated prefix is reused.
 */
import type { LoadedCharacter } from '../character/types.js';
import { fillPlaceholders } from './placeholders.js';
import { seededShuffle } from './seeded.js';

export function section(title: string, lines: string[]): string {
  return lines.length ? `# ${title}\n${lines.map((line) => `- ${line}`).join('\n')}` : '';
}

/** How a reply is asked for: the same for every turn, so it belongs to the system message. */
export const replyRules = (name: string) =>
  `Reply as ${name}, in character, to the last message only. The notes before a message (what ${name} knows, memory, how to answer it) are for you, not part of the conversation; what earlier notes said still holds.`;

export function persona(character: LoadedCharacter, userName: string, seed: string): string {
  const fill = (text: string) => fillPlaceholders(text, character.name, userName);
  const bio = seededShuffle(character.bio, seed).slice(0, 8).map(fill);
  const examples = seededShuffle(character.messageExamples, `${seed}:examples`)
    .slice(0, 3)
    .map((conversation) => conversation.map((m) => `${fill(m.name)}: ${fill(m.text)}`).join('\n'));
  return [
    fill(character.system ?? `You are ${character.name}.`),
    section(`About ${character.name}`, bio),
    character.adjectives.length ? `${character.name} is ${seededShuffle(character.adjectives, `${seed}:adj`).slice(0, 5).join(', ')}.` : '',
    character.topics.length ? `${character.name} likes to talk about: ${seededShuffle(character.topics, `${seed}:topics`).slice(0, 8).join(', ')}.` : '',
    section('Style', [...character.style.all, ...character.style.chat].map(fill)),
    examples.length ? `# Example conversations\n${examples.join('\n\n')}` : '',
    replyRules(character.name),
  ]
    .filter((part) => part.trim() !== '')
    .join('\n\n');
}
