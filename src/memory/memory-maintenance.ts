/** What `permachat memory` does beside a conversation: rebuild a user's cache, and their numbers. */
import type { ArweaveClient } from '../arweave/client.js';
import { byUser, notIn, opens, turnsOf, type MemoryState } from './memory-state.js';
import type { Outbox } from './outbox.js';
import { memoryTags } from './tags.js';
import { fromArweave, type UserLoader } from './user-loader.js';

export interface UserStats {
  user: string;
  pseudonym: string;
  records: number;
  turns: number;
  /** Encrypted bytes of the records, and the same as signed data items (what Arweave stores and bills). */
  sealedBytes: number;
  itemBytes: number;
  oldestTurn: string | null;
  newestTurn: string | null;
}

/**
 * Replaces the local cache of a user with what Arweave, the outbox and the cache itself hold
 * (whatever authenticates); `notIndexed`: records known here the gateway does not list yet.
 */
export async function rebuildUser(state: MemoryState, outbox: Outbox, loader: UserLoader, userKey: string): Promise<{ records: number; notIndexed: number }> {
  const pseudonym = state.crypto.pseudonym(userKey);
  // What is still on its way to Arweave is part of the memory too. The outbox is read
  // first: an item sent after this is on Arweave by the time Arweave is read.
  const queued = byUser(state.log, await outbox.pendingItems()).get(pseudonym) ?? [];
  // Sent and deleted from the outbox, but not listed by the gateway yet (it indexes late):
  // only the cache holds those. Lines that do not authenticate are what a rebuild is for.
  const cached = ((await state.cache.read(pseudonym)) ?? []).filter((row) => opens(state, userKey, row));
  const local = [...queued, ...notIn(cached, queued)];
  const { rows, covered } = await fromArweave(state, userKey, pseudonym, true);
  const notIndexed = notIn(local, rows);
  await state.cache.replace(pseudonym, [...rows, ...notIndexed]);
  await state.cache.replaceCovered(pseudonym, covered);
  loader.unload(userKey);
  return { records: (await loader.entriesOf(userKey)).length, notIndexed: notIndexed.length };
}

export async function statsOfUser(state: MemoryState, arweave: ArweaveClient, loader: UserLoader, userKey: string): Promise<UserStats> {
  const pseudonym = state.crypto.pseudonym(userKey);
  const entries = await loader.entriesOf(userKey);
  const turns = turnsOf(entries);
  const sealedBytes = entries.reduce((sum, entry) => sum + entry.sealed.length, 0);
  // Every record item carries the same header (signature, owner, tags of fixed length): one signed empty item tells its size.
  const header = (await arweave.signItem(new Uint8Array(0), memoryTags(pseudonym))).raw.length;
  return {
    user: userKey, pseudonym, records: entries.length, turns: turns.length, sealedBytes, itemBytes: sealedBytes + header * entries.length,
    oldestTurn: turns[0]?.at ?? null, newestTurn: turns.at(-1)?.at ?? null,
  };
}
