/**
 * Which conversation holds which of the context's sequences. A conversation keeps its sequence
 * between turns, so its next turn evaluates only what is new; when a sequence is needed and none
 * is free, the least recently used idle conversation gives its sequence up (its next turn is
 * evaluated in full). Calls without a conversation borrow one and leave it empty. A caller waits
 * when every sequence is busy.
 *
 * Callers use one conversation's sequence one call at a time (the adapter queues them).
 */
export interface Slot<T> {
  readonly item: T;
  /** The conversation whose tokens the item may hold; undefined when it holds none of anyone's. */
  readonly heldFor: string | undefined;
}

export interface SequenceSlots<T> {
  /**
   * The conversation's own item, or an empty one, or the least recently used idle one. `heldFor`
   * says whose tokens it still holds: anyone else's must be cleared before use.
   */
  acquire(conversation: string | undefined): Promise<Slot<T>>;
  /** Done with the item; it stays with `conversation` (undefined: it was left empty). */
  release(item: T, conversation: string | undefined): void;
  /** Whether the conversation still has an item of its own, idle. */
  holds(conversation: string): boolean;
  /** Whether acquire() would not wait: an item is idle and nobody is waiting for one. */
  readonly free: boolean;
  /** The conversation's own item, if it has one, leased without touching any other. */
  claim(conversation: string): T | undefined;
  readonly waiting: number;
}

interface Entry<T> {
  item: T;
  owner: string | undefined;
  busy: boolean;
  lastUsed: number;
}

export function createSequenceSlots<T>(items: T[]): SequenceSlots<T> {
  const entries: Array<Entry<T>> = items.map((item) => ({ item, owner: undefined, busy: false, lastUsed: 0 }));
  const waiters: Array<{ conversation: string | undefined; resolve: (slot: Slot<T>) => void }> = [];
  let clock = 0;

  const idle = () => entries.filter((e) => !e.busy);
  /** Its own entry first, then an empty one, then the least recently used. */
  function pick(conversation: string | undefined): Entry<T> | undefined {
    const free = idle();
    return (
      (conversation === undefined ? undefined : free.find((e) => e.owner === conversation)) ??
      free.find((e) => e.owner === undefined) ??
      free.sort((a, b) => a.lastUsed - b.lastUsed)[0]
    );
  }
  function lease(entry: Entry<T>, conversation: string | undefined): Slot<T> {
    const heldFor = entry.owner;
    entry.busy = true;
    entry.owner = conversation;
    entry.lastUsed = ++clock;
    return { item: entry.item, heldFor };
  }

  return {
    async acquire(conversation) {
      const entry = pick(conversation);
      if (entry) return lease(entry, conversation);
      return new Promise((resolve) => waiters.push({ conversation, resolve }));
    },
    release(item, conversation) {
      const entry = entries.find((e) => e.item === item);
      if (!entry) return;
      entry.busy = false;
      entry.owner = conversation;
      const next = waiters.shift();
      if (next) next.resolve(lease(pick(next.conversation) ?? entry, next.conversation));
    },
    holds(conversation) {
      return entries.some((e) => e.owner === conversation && !e.busy);
    },
    get free() {
      return waiters.length === 0 && entries.some((e) => !e.busy);
    },
    claim(conversation) {
      const entry = entries.find((e) => e.owner === conversation && !e.busy);
      return entry ? lease(entry, conversation).item : undefined;
    },
    get waiting() {
      return waiters.length;
    },
  };
}
