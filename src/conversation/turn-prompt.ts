/**
 * A turn's prompt: the conversation's window of recent turns (with the notes first shown with
 * them), the character's knowledge for the message, and what memory recalled that the window
 * does not show already. Without the plan and context, all of it but its end is known before
 * the AO analysis is done.
 */
import type { ChatMessage } from '../inference/types.js';
import type { TurnNotes } from '../prompt/turn-notes.js';
import type { CharacterHandle, PromptRequest } from './character-handle.js';
import { fitWindow, type ConversationWindows, type WindowPolicy } from './conversation-window.js';
import type { Recollection } from './ports.js';
import type { UserKey } from './user-key.js';

/** A shown turn as the prompt has it: remembered text, the notes first shown with it, the reply as the model wrote it. */
export type ShownTurn = { userText: string; reply: string; at?: string; notes?: TurnNotes; said?: string };

export const asMessages = (turns: ShownTurn[]): PromptRequest['recent'] =>
  turns.flatMap((turn) => [
    { role: 'user' as const, text: turn.userText, ...(turn.notes ? { notes: turn.notes } : {}) },
    { role: 'assistant' as const, text: turn.said ?? turn.reply },
  ]);

export interface TurnPromptInput {
  userKey: UserKey;
  character: CharacterHandle;
  seed: string;
  text: string;
  recollection: Recollection;
  /** What only this message's prompt shows: Generation's plan and the plugins' context. */
  forMessage: Pick<PromptRequest, 'plan' | 'context'>;
}

export interface TurnPrompt {
  messages: ChatMessage[];
  /** The recent turns the prompt shows, oldest first. */
  recent: Array<Recollection['recent'][number] & Omit<ShownTurn, 'userText' | 'reply' | 'at'>>;
  /** The character's passages for this message. */
  knowledge: string[];
  /** This turn's notes: what the shown turns' notes do not hold already. */
  fresh: TurnNotes;
}

export type BuildTurnPrompt = (input: TurnPromptInput) => TurnPrompt;

export function turnPromptWith(deps: { windows: ConversationWindows; policy: WindowPolicy }): BuildTurnPrompt {
  return function turnPrompt({ userKey, character, seed, text, recollection, forMessage }) {
    const recent = fitWindow(deps.windows.withNotes(userKey, recollection.recent), deps.policy);
    // The previous message too, so that a follow-up ("tell me more") finds the same passages.
    const knowledge = character.knowledge([recent.at(-1)?.userText ?? '', text].join('\n'));
    // What the shown turns' notes hold already is not repeated: the model evaluates only what is new.
    const fresh = deps.windows.unseen({ knowledge, facts: recollection.facts, recalled: recollection.relevant }, recent);
    const messages = character.prompt({ userText: text, recent: asMessages(recent), recalled: fresh.recalled, facts: fresh.facts, knowledge: fresh.knowledge, seed, ...forMessage });
    return { messages, recent, knowledge, fresh };
  };
}
