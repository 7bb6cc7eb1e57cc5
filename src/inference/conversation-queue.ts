/**
 * One call at a time per conversation, in the order made (a prefill, then its reply): each call
 * starts once the one before it for the same conversation has settled, whether it succeeded or
 * failed. Calls without a conversation run at once.
 */
export type InOrder = <T>(conversation: string | undefined, work: () => Promise<T>) => Promise<T>;

export interface ConversationQueue {
  readonly inOrder: InOrder;
  /** Conversations with a call queued or running. */
  readonly pending: number;
}

export function createConversationQueue(): ConversationQueue {
  const tails = new Map<string, Promise<unknown>>();
  function inOrder<T>(conversation: string | undefined, work: () => Promise<T>): Promise<T> {
    if (conversation === undefined) return work();
    const run = (tails.get(conversation) ?? Promise.resolve()).catch(() => undefined).then(work);
    const settled = run.catch(() => undefined);
    tails.set(conversation, settled);
    // The map holds only conversations with work in flight.
    void settled.then(() => {
      if (tails.get(conversation) === settled) tails.delete(conversation);
    });
    return run;
  }
  return {
    inOrder,
    get pending() {
      return tails.size;
    },
  };
}
