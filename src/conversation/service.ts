/**
 * The conversation service: one turn = recall memory and run the AO analysis in parallel,
 * build the prompt from the character, stream the model's reply, then commit the turn to AO
 * and to memory (run-turn.ts and its steps). This file wires the steps to their dependencies
 * and serves ConversationPort, the only thing channels see.
 */
import type { LanguageModel } from '../inference/types.js';
import type { Logger } from '../logger.js';
import type { PluginHost } from '../plugin-host/plugin-host.js';
import { analyseWith } from './analyse-turn.js';
import { createBackgroundWork } from './background-work.js';
import type { CharacterRegistry } from './character-handle.js';
import { noStats, type ConversationStats } from './conversation-stats.js';
import { createConversationWindows, windowPolicy } from './conversation-window.js';
import { withoutControls } from './control-chars.js';
import { describeMemory } from './describe-memory.js';
import { generateReplyWith } from './generate-reply.js';
import { createKeyedQueue } from './keyed-queue.js';
import type { AnalysisPort, MemoryPort } from './ports.js';
import { prefillWith } from './prefill.js';
import { commitToAoWith, rememberTurnWith } from './record-turn.js';
import { repeatTurnWith } from './repeat-turn.js';
import { runTurnWith } from './run-turn.js';
import { turnPromptWith } from './turn-prompt.js';
import type { ChannelName, ConversationPort, HistoryEntry } from './types.js';
import { userKeyOf } from './user-key.js';

export { AoRequiredError } from './analyse-turn.js';
export type { CharacterHandle, CharacterRegistry, PromptRequest, StablePromptRequest } from './character-handle.js';
export type { ConversationStats } from './conversation-stats.js';
export { factsFrom } from './learned-facts.js';

export interface ConversationDeps {
  characters: CharacterRegistry;
  model: LanguageModel;
  memory: MemoryPort;
  analysis: AnalysisPort | undefined;
  /** Keyed pseudonym of a user key: what AO messages carry instead of the user id. */
  pseudonym(userKey: string): string;
  logger: Logger;
  maxTokens: number;
  now?: () => Date;
  recentTurns?: number;
  relevantTurns?: number;
  /** The plugins enabled by a character (by character name), if any. */
  plugins?: (character: string) => PluginHost | undefined;
  /** A turn whose AO analysis fails is reported as failed instead of answered without it. */
  aoRequired?: boolean;
}

export function createConversationService(deps: ConversationDeps): ConversationPort & { close(): Promise<void>; stats(): ConversationStats } {
  const { memory, model, logger: log } = deps;
  const now = deps.now ?? (() => new Date());
  const perUser = createKeyedQueue();
  const background = createBackgroundWork(log);
  const stats = noStats();
  const policy = windowPolicy(deps.recentTurns ?? 6);
  const windows = createConversationWindows(policy, { now });
  const relevantTurns = deps.relevantTurns ?? 4;
  const turnPrompt = turnPromptWith({ windows, policy });
  const runTurn = runTurnWith({
    characters: deps.characters,
    memory,
    windows,
    relevantTurns,
    plugins: deps.plugins,
    stats,
    repeatTurn: repeatTurnWith({ memory, log }),
    prefill: prefillWith({ model, memory, windows, policy, relevantTurns, turnPrompt, log }),
    analyse: analyseWith({ analysis: deps.analysis, pseudonym: deps.pseudonym, aoRequired: deps.aoRequired ?? false, stats, log }),
    turnPrompt,
    generateReply: generateReplyWith({ model, maxTokens: deps.maxTokens }),
    commitToAo: commitToAoWith({ analysis: deps.analysis, log }),
    rememberTurn: rememberTurnWith({ memory, now }),
    track: background.track,
  });
  /** /reset and /forget, in the user's queue (after a reply under way); what RAM holds of the conversation (window, evaluated prompt) goes too. */
  const endConversation = (channel: ChannelName, userId: string, how: 'reset' | 'forget') => {
    const userKey = userKeyOf(channel, userId);
    return perUser.run(userKey, async () => {
      await memory[how](userKey);
      windows.drop(userKey);
      await model.release?.(userKey);
    });
  };

  return {
    // One turn at a time per user keeps each conversation in order; users run in parallel.
    handleTurn: (request) => perUser.run(userKeyOf(request.channel, request.userId), () => runTurn(request)),
    // Local only: anyone can ask for the history of any made-up id, and that must cost nothing.
    // A machine that lost DATA_DIR shows a person's history again after their next message.
    async history(channel: ChannelName, userId: string, limit = 50): Promise<HistoryEntry[]> {
      const { recent } = await memory.recall(userKeyOf(channel, userId), '', { recent: limit, relevant: 0, localOnly: true });
      return recent.flatMap((turn) => [
        { role: 'user' as const, text: turn.userText, at: turn.at },
        // Replies remembered before control characters were removed from them, too.
        { role: 'assistant' as const, text: withoutControls(turn.reply), at: turn.at },
      ]);
    },
    reset: (channel, userId) => endConversation(channel, userId, 'reset'),
    forget: (channel, userId) => endConversation(channel, userId, 'forget'),
    describeMemory: (channel, userId) => describeMemory(memory, userKeyOf(channel, userId)),
    listCharacters: () => deps.characters.list().map(({ name, bio, color }) => ({ name, bio, ...(color ? { color } : {}) })),
    greeting: (name) => deps.characters.get(name).greeting,
    stats: () => ({ ...stats }),
    async close() {
      await perUser.drain();
      await background.settled();
    },
  };
}
