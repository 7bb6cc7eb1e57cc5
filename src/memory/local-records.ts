/**
 * The local side of durability: the cache's appended lines are fsynced once per outbox bundle,
 * and the records an earlier run left in the outbox are taken into the cache (or kept for their
 * user's first load). A crash between an item's fsync and its cache line leaves it only in the
 * outbox: a cached user gets it in their cache at start, before the item can be sent and
 * deleted; any other user's first load takes theirs in. So a retried turn finds the reply it
 * already gave and recall misses nothing that was acknowledged.
 */
import type { SignedItem } from '../arweave/client.js';
import type { CachedRecord } from './cache.js';
import { byUser, notIn, type MemoryState } from './memory-state.js';

/** Fsyncs the cache files of the users with appended lines (kept to retry when it fails). */
export async function syncCache(state: MemoryState): Promise<void> {
  const names = [...state.unsynced];
  state.unsynced.clear();
  try {
    await state.cache.sync(names);
  } catch (error) {
    for (const name of names) state.unsynced.add(name);
    throw error;
  }
}

/** Takes in the outbox's leftover items: into the cache of users who have one, the rest kept as `unsent`. */
export async function adoptLeftover(state: MemoryState, leftover: SignedItem[]): Promise<void> {
  state.unsent = byUser(state.log, leftover);
  for (const [pseudonym, rows] of state.unsent) {
    const cached = await state.cache.read(pseudonym);
    if (cached === undefined) continue;
    const missing = notIn(rows, cached);
    if (missing.length > 0) {
      await state.cache.append(pseudonym, missing);
      state.unsynced.add(pseudonym);
    }
    state.unsent.delete(pseudonym);
  }
  await syncCache(state);
}

/** The rows of an earlier run's outbox that `rows` lacks, taken out of `unsent`. */
export function unsentBeside(state: MemoryState, pseudonym: string, rows: CachedRecord[]): CachedRecord[] {
  const missing = notIn(state.unsent.get(pseudonym) ?? [], rows);
  state.unsent.delete(pseudonym);
  return missing;
}
