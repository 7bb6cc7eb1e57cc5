/**
 * node-llama-cpp adapter: ONE model load and ONE context whose sequences are shared by all
 * conversations (batched decoding), `gpu: "auto"` so CUDA is used when present (./llama-load.ts).
 *
 * A conversation keeps its sequence between turns. A new prompt reuses what the sequence holds:
 * the common prefix, and the tokens after a few ranges the new prompt dropped (the last turn's
 * reply plan), which are erased (./kept-tokens.ts); so a follow-up evaluates only its new
 * tokens. When there are more conversations than sequences, the least recently used gives its
 * sequence up (./sequence-slots.ts). Nothing of it is written to disk.
 *
 * The steps are built here with what they share: one call at a time per conversation
 * (./conversation-queue.ts), the sequence lent to each call (./sequence-lease.ts), and the
 * tokens a prefill evaluated ahead for the reply that follows it.
 */
import type { LlamaContextSequence } from 'node-llama-cpp';
import type { ChatMessage, LanguageModel, PrefillOptions, PrefillResult } from './types.js';
import { createConversationQueue, type InOrder } from './conversation-queue.js';
import { generateWith } from './llama-generate.js';
import { loadLlama, type LlamaCppOptions } from './llama-load.js';
import { prefillWith } from './llama-prefill.js';
import { leaseSequenceWith } from './sequence-lease.js';
import { createSequenceSlots, type SequenceSlots } from './sequence-slots.js';

export type { LlamaCppOptions } from './llama-load.js';

export interface LlamaCppModel extends LanguageModel {
  /** The GPU backend in use, or false on CPU. */
  readonly gpu: string | false;
  readonly threads: number;
  prefill(conversation: string, messages: ChatMessage[], options?: PrefillOptions): Promise<PrefillResult>;
  release(conversation: string): Promise<void>;
}

interface ReleaseDeps {
  inOrder: InOrder;
  slots: SequenceSlots<LlamaContextSequence>;
  prefilled: Map<string, number>;
}

/** Clears the conversation's sequence, if it still has one, and frees it for others. */
function releaseWith({ inOrder, slots, prefilled }: ReleaseDeps): (conversation: string) => Promise<void> {
  return (conversation) =>
    inOrder(conversation, async () => {
      prefilled.delete(conversation);
      const sequence = slots.claim(conversation);
      if (!sequence) return;
      try {
        await sequence.clearHistory();
      } finally {
        slots.release(sequence, undefined);
      }
    });
}

export async function createLlamaCppModel(opts: LlamaCppOptions): Promise<LlamaCppModel> {
  const loaded = await loadLlama(opts);
  const { model, chatWrapper } = loaded;
  const slots = createSequenceSlots(loaded.sequences);
  const { inOrder } = createConversationQueue();
  const prefilled = new Map<string, number>();
  const lease = leaseSequenceWith({ slots, prefilled });
  return {
    id: `llama-cpp:${opts.modelPath.split(/[\\/]/).pop() ?? opts.modelPath}`,
    gpu: loaded.llama.gpu,
    threads: loaded.threads,
    generate: generateWith({ model, chatWrapper, inOrder, lease, prefilled }),
    prefill: prefillWith({ model, chatWrapper, inOrder, lease, slots, prefilled }),
    release: releaseWith({ inOrder, slots, prefilled }),
    close: () => loaded.dispose(),
  };
}
