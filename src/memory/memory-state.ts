/**
 * What the memory's parts (local records, user loading, writing, maintenance) share: the crypto,
 * the local cache and what waits to be synced into it, the records an earlier run left in the
 * outbox, and the readers of Arweave. Built once by createMemory and handed to each part.
 */
import { readSignedItem, type SignedItem } from '../arweave/client.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CachedRecord, RecordCache } from './cache.js';
import type { MemoryCrypto } from './crypto.js';
import type { GatewayRecords } from './gateway-records.js';
import { decodeRecord, type MemoryRecord } from './records.js';
import type { Snapshots } from './snapshots.js';
import { tagValue } from '../arweave/tag.js';
import { RECORD_FORMAT } from './tags.js';

export interface Entry {
  id: string;
  record: MemoryRecord;
  sealed: Uint8Array;
}

/** A user's records in RAM. Incomplete when Arweave could not be read: retried, never cached as whole. */
export interface UserState {
  entries: Entry[];
  /** Every record id seen for the user, readable or not (a forged one is not fetched again). */
  ids: Set<string>;
  complete: boolean;
  triedAt: number;
  /** When the gateway was last read for records written elsewhere (0: not since loading the cache). */
  refreshedAt: number;
  refreshing?: Promise<void> | undefined;
  /** Ids already in a snapshot segment, and how many entries are not. */
  covered: Set<string>;
  uncovered: number;
}

export interface MemoryState {
  crypto: MemoryCrypto;
  cache: RecordCache;
  gateway: GatewayRecords;
  snapshots: Snapshots;
  log: Logger;
  /**
   * Users whose cache had lines appended since the last fsync. Appends are not fsynced one by
   * one: the outbox syncs them once per bundle, before it deletes the items (until then the
   * outbox still holds every record a power loss could take from the cache).
   */
  unsynced: Set<string>;
  /** Records an earlier run left in the outbox, by user, for users with no local cache yet (see local-records.ts). */
  unsent: Map<string, CachedRecord[]>;
  /** Records that did not open (forged, or another user's). */
  counters: { skipped: number };
}

/** The rows whose id is not among those of `known`. */
export function notIn<T extends { id: string }>(rows: T[], known: Array<{ id: string }>): T[] {
  const ids = new Set(known.map((row) => row.id));
  return rows.filter((row) => !ids.has(row.id));
}

export const byTime = (entries: Entry[]) => entries.sort((a, b) => a.record.at.localeCompare(b.record.at));

/** The rows that open with the user's key, decoded; the others are counted and skipped. */
export function openAll(state: MemoryState, userKey: string, rows: CachedRecord[]): Entry[] {
  const entries: Entry[] = [];
  for (const row of rows) {
    try {
      entries.push({ id: row.id, record: decodeRecord(state.crypto.open(userKey, row.sealed)), sealed: row.sealed });
    } catch (error) {
      state.counters.skipped += 1;
      state.log.warn(`memory record ${row.id} skipped: ${describeError(error)}`);
    }
  }
  return entries;
}

export function opens(state: MemoryState, userKey: string, row: CachedRecord): boolean {
  try {
    state.crypto.open(userKey, row.sealed);
    return true;
  } catch {
    return false;
  }
}

/** Outbox items as cache rows, by user pseudonym (records only: a snapshot segment is no row). */
export function byUser(log: Logger, items: SignedItem[]): Map<string, CachedRecord[]> {
  const rows = new Map<string, CachedRecord[]>();
  for (const item of items) {
    try {
      const { tags, data } = readSignedItem(item);
      const user = tagValue(tags, 'User');
      if (user === undefined || tagValue(tags, 'Record-Format') !== RECORD_FORMAT) continue;
      const list = rows.get(user) ?? [];
      list.push({ id: item.id, sealed: data });
      rows.set(user, list);
    } catch (error) {
      log.warn(`memory outbox item ${item.id} cannot be read (${describeError(error)}); it is left for the gateway to judge`);
    }
  }
  return rows;
}

/** The entries after the last record of this kind (all of them when there is none). */
export const after = (kind: MemoryRecord['kind'], entries: Entry[]) => entries.slice(entries.map((e) => e.record.kind).lastIndexOf(kind) + 1);
export const afterForget = (entries: Entry[]) => after('forget', entries);
export const turnsOf = (entries: Entry[]) => entries.flatMap((e) => (e.record.kind === 'turn' ? [e.record] : []));
