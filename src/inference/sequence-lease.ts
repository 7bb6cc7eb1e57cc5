/**
 * Lends a call the conversation's own context sequence (or an empty one), never one that still
 * holds another conversation's tokens, and takes it back afterwards: kept for the conversation
 * when the call succeeded, cleared when it failed or had no conversation.
 */
import type { SequenceSlots } from './sequence-slots.js';

export interface ClearableSequence {
  clearHistory(): Promise<void>;
}

export type LeaseSequence<S> = <T>(conversation: string | undefined, use: (sequence: S) => Promise<T>) => Promise<T>;

export interface SequenceLeaseDeps<S extends ClearableSequence> {
  slots: SequenceSlots<S>;
  /** Tokens each conversation's prefill evaluated for its next reply: lost with its sequence. */
  prefilled: Map<string, number>;
}

export function leaseSequenceWith<S extends ClearableSequence>({ slots, prefilled }: SequenceLeaseDeps<S>): LeaseSequence<S> {
  return async (conversation, use) => {
    const slot = await slots.acquire(conversation);
    let keep = conversation;
    try {
      if (slot.heldFor !== conversation || conversation === undefined) {
        // Another conversation's tokens: that one's next turn starts from nothing.
        if (slot.heldFor !== undefined && slot.heldFor !== conversation) prefilled.delete(slot.heldFor);
        await slot.item.clearHistory();
      }
      return await use(slot.item);
    } catch (error) {
      // Whatever state a failed call left behind is not worth keeping.
      keep = undefined;
      throw error;
    } finally {
      if (keep === undefined) await slot.item.clearHistory().catch(() => undefined);
      slots.release(slot.item, keep);
    }
  };
}
