/** A character as the conversation service uses it; the composition root adapts loaded character files. */
import type { ChatMessage } from '../inference/types.js';
import type { TurnNotes } from '../prompt/turn-notes.js';
import type { Analysis } from './ports.js';

export interface PromptRequest {
  userText: string;
  /** The conversation so far; a user's message carries the notes first shown with it. */
  recent: Array<{ role: 'user' | 'assistant'; text: string; notes?: TurnNotes }>;
  /** Earlier turns, facts and knowledge new to this conversation's shown turns (the rest stay where they were shown). */
  recalled: string[];
  facts: string[];
  plan: Analysis['plan'];
  /** Context from plugin providers and action results. */
  context: string[];
  /** Passages of the character's knowledge this message is about. */
  knowledge: string[];
  /** One per conversation: the character's sampled lines stay the same from turn to turn. */
  seed: string;
}

/** What is known of a turn's prompt before memory recall and the AO analysis are done. */
export type StablePromptRequest = Pick<PromptRequest, 'recent' | 'seed'>;

export interface CharacterHandle {
  name: string;
  bio: string;
  color?: string;
  greeting: string;
  /** The passages of the character's knowledge most relevant to the text, best first. */
  knowledge(text: string): string[];
  prompt(request: PromptRequest): ChatMessage[];
  /** The start of prompt() for the same conversation (system message and history), to evaluate ahead. */
  stablePrompt?(request: StablePromptRequest): ChatMessage[];
}

export interface CharacterRegistry {
  /** The named character, or the default one; throws InputError naming the available ones. */
  get(name?: string): CharacterHandle;
  list(): CharacterHandle[];
}
