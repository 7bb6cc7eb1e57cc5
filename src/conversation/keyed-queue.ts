/** Runs tasks one after another per key (e.g. per user), concurrently across keys. */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(task, task);
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      // Drop the entry once this is the last task for the key, so the map stays bounded.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
    async drain(): Promise<void> {
      await Promise.all([...tails.values()]);
    },
  };
}
