/**
 * Hands out the context's sequences to concurrent conversations: one model, one context,
 * N sequences evaluated in the same batches. A caller waits when all are busy.
 */
export interface Pool<T> {
  acquire(): Promise<T>;
  release(item: T): void;
  readonly waiting: number;
}

export function createPool<T>(items: T[]): Pool<T> {
  const free = [...items];
  const waiters: Array<(item: T) => void> = [];
  return {
    async acquire() {
      const item = free.pop();
      if (item !== undefined) return item;
      return new Promise<T>((resolve) => waiters.push(resolve));
    },
    release(item) {
      const next = waiters.shift();
      if (next) next(item);
      else free.push(item);
    },
    get waiting() {
      return waiters.length;
    },
  };
}
