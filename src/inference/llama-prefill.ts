/**
 * Evaluating ahead on node-llama-cpp: the part of the next prompt that the known messages fix
 * goes into the conversation's sequence while the rest of the turn is still being gathered.
 */
import type { ChatWrapper, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { stablePrefixTokens } from './chat-tokens.js';
import type { InOrder } from './conversation-queue.js';
import { keepFor } from './kept-tokens.js';
import type { LeaseSequence } from './sequence-lease.js';
import type { SequenceSlots } from './sequence-slots.js';
import type { ChatMessage, PrefillOptions, PrefillResult } from './types.js';

export interface LlamaPrefillDeps {
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  inOrder: InOrder;
  lease: LeaseSequence<LlamaContextSequence>;
  slots: Pick<SequenceSlots<LlamaContextSequence>, 'free' | 'holds'>;
  prefilled: Map<string, number>;
}

export function prefillWith(deps: LlamaPrefillDeps): (conversation: string, messages: ChatMessage[], options?: PrefillOptions) => Promise<PrefillResult> {
  return (conversation, messages, options = {}) =>
    deps.inOrder(conversation, () => {
      // Only with a sequence to spare: when others wait for one, work ahead would delay them and,
      // with more conversations than sequences, most likely be evicted before its reply uses it.
      if (!deps.slots.free || (options.idleOnly && !deps.slots.holds(conversation))) return Promise.resolve({ tokens: 0, evaluated: 0 });
      return deps.lease(conversation, async (sequence) => {
        const tokens = stablePrefixTokens(deps.chatWrapper, deps.model, messages);
        const shifted = await keepFor(sequence, tokens);
        const rest = tokens.slice(sequence.nextTokenIndex);
        if (rest.length > 0) await sequence.evaluateWithoutGeneratingNewTokens(rest);
        deps.prefilled.set(conversation, (deps.prefilled.get(conversation) ?? 0) + rest.length);
        return { tokens: tokens.length, evaluated: rest.length, shifted };
      });
    });
}
