/**
 * memory-recall — answers "what do you remember about me?" from the user's own encrypted
 * memory, exactly (facts learned and recent turns), instead of letting the model guess.
 */
import type { Action, IAgentRuntime, Memory, Plugin } from '@elizaos/core';
import type { PermachatPluginRuntime } from '../../src/plugin-host/plugin-runtime.js';

const asksAboutMemory = /\bwhat (?:do|did) you (?:remember|know|recall) about me\b|\bwhat have you learn(?:ed|t) about me\b|\bdo you remember me\b/i;

const recallAction: Action = {
  name: 'RECALL_MEMORY',
  similes: ['WHAT_DO_YOU_REMEMBER', 'SHOW_MEMORY'],
  description: 'Tells the user what the bot remembers about them',
  async validate(_runtime: IAgentRuntime, message: Memory) {
    return asksAboutMemory.test(message.content.text ?? '');
  },
  async handler(runtime, message, _state, _options, callback) {
    // permachat's runtime offers the current user's memory (see README "Plugins").
    const { memory } = runtime as unknown as PermachatPluginRuntime;
    const text = await memory.describe(String(message.entityId));
    await callback?.({ text, actions: ['RECALL_MEMORY'] });
    return { success: true, text };
  },
  examples: [],
};

const plugin: Plugin = {
  name: 'memory-recall',
  description: '"What do you remember about me?" answered from the encrypted memory',
  actions: [recallAction],
};

export default plugin;
