/**
 * Work over many items with a bound on how much runs at once: reading records back from a
 * gateway one by one is slow, all at once floods it.
 */

/** Maps every item with at most `limit` calls in flight; results keep the items' order. The first failure rejects. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  // Each worker takes the next index when it is free, so one slow read holds up only itself.
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
