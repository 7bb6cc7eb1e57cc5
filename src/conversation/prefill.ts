/**
 * Starts evaluating what is known of a prompt ahead; the reply then evaluates only the rest.
 * With the new message: its prompt up to the plan (system message, history, this turn's memory
 * and knowledge, from what memory holds locally), while the AO analysis runs. With the turns
 * just answered: the next turn's system message and history, while the person reads and types.
 * Best effort: a failure costs only the time it would have saved.
 */
import { describeError } from '../errors.js';
import type { LanguageModel } from '../inference/types.js';
import type { Logger } from '../logger.js';
import type { CharacterHandle } from './character-handle.js';
import { fitWindow, type ConversationWindows, type OpenWindow, type WindowPolicy } from './conversation-window.js';
import type { MemoryPort } from './ports.js';
import { asMessages, type BuildTurnPrompt } from './turn-prompt.js';
import type { UserKey } from './user-key.js';

export interface PrefillDeps {
  model: Pick<LanguageModel, 'prefill'>;
  memory: Pick<MemoryPort, 'recall'>;
  windows: ConversationWindows;
  policy: WindowPolicy;
  relevantTurns: number;
  turnPrompt: BuildTurnPrompt;
  log: Logger;
}

/** The new message's text, or the turns just answered. */
export type Ahead = { text: string } | { turns: Array<{ userText: string; reply: string }> };

export type Prefill = (userKey: UserKey, character: CharacterHandle, window: OpenWindow, ahead: Ahead) => Promise<void>;

export function prefillWith(deps: PrefillDeps): Prefill {
  return async function prefill(userKey, character, window, ahead) {
    if (!deps.model.prefill || !character.stablePrompt) return;
    try {
      if ('text' in ahead) {
        const local = await deps.memory.recall(userKey, ahead.text, { recent: window.turns, relevant: deps.relevantTurns, localOnly: true });
        const { messages } = deps.turnPrompt({ userKey, character, seed: window.seed, text: ahead.text, recollection: local, forMessage: { plan: undefined, context: [] } });
        await deps.model.prefill(userKey, messages.slice(0, -1));
        return;
      }
      const recent = fitWindow(deps.windows.withNotes(userKey, ahead.turns.slice(-window.turns)), deps.policy);
      // Ahead of a turn not asked for yet: only when it takes nothing from others.
      await deps.model.prefill(userKey, character.stablePrompt({ recent: asMessages(recent), seed: window.seed }), { idleOnly: true });
    } catch (error) {
      deps.log.debug(`prefill for a turn failed (the reply evaluates its whole prompt): ${describeError(error)}`);
    }
  };
}
