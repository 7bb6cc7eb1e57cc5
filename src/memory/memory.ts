/**
 * Permanent encrypted memory: every turn and learned fact becomes one encrypted record on
 * Arweave, through the durable outbox; a local cache keeps recall fast and is rebuilt from
 * Arweave when missing. Users are keyed pseudonyms: one user's records can neither be found
 * under nor decrypted with another user's key.
 */
import path from 'node:path';
import { readSignedItem, type ArweaveClient, type SignedItem } from '../arweave/client.js';
import type { LearnedFact, MemoryPort, Recollection, RememberedTurn } from '../conversation/ports.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createRecordCache, type CachedRecord } from './cache.js';
import { createMemoryCrypto, type MemoryCrypto } from './crypto.js';
import { createOutbox, type Outbox } from './outbox.js';
import { createGatewayRecords } from './gateway-records.js';
import { decodeRecord, encodeRecord, type MemoryRecord, type TurnRecord } from './records.js';
import { CHARS_PER_RECALLED_TURN, createRelevantRecall } from './recalled-turns.js';
import { createTurnRanker } from './relevance.js';
import { createSnapshots, encodeSegment, SNAPSHOT_EVERY } from './snapshots.js';
import { RECORD_FORMAT, snapshotTags, tagValue, memoryTags } from './tags.js';

export { APP_NAME, memoryTags } from './tags.js';

export interface MemoryDeps {
  arweave: ArweaveClient;
  masterKey: Uint8Array;
  /** Local state folder; the memory keeps `memory/outbox` and `memory/cache` in it. */
  dataDir: string;
  logger: Logger;
  now?: () => Date;
  /** Users whose records stay decrypted in RAM (least recently used go first). */
  maxUsersInRam?: number;
  outbox?: { batchDelayMs?: number; batchSize?: number; maxBackoffMs?: number };
  /**
   * A user's first turn after this long reads from the gateway what was written since (by
   * another instance sharing it); 0: every turn. Default 30 s.
   */
  refreshAfterMs?: number;
  /** Records a user gains between two snapshot segments (default SNAPSHOT_EVERY). */
  snapshotEvery?: number;
}

interface Entry {
  id: string;
  record: MemoryRecord;
  sealed: Uint8Array;
}

/** A user's records in RAM. Incomplete when Arweave could not be read: retried, never cached as whole. */
interface UserState {
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

const RETRY_INCOMPLETE_MS = 5_000;

/** The rows whose id is not among those of `known`. */
function notIn<T extends { id: string }>(rows: T[], known: Array<{ id: string }>): T[] {
  const ids = new Set(known.map((row) => row.id));
  return rows.filter((row) => !ids.has(row.id));
}

export interface Memory extends MemoryPort {
  exportUser(userKey: string): Promise<{ user: string; pseudonym: string; records: Array<{ id: string } & MemoryRecord> }>;
  /** The ids of the user's `k` turns most relevant to the query, best first, as recall ranks them (for `permachat eval memory`). */
  rank(userKey: string, query: string, k: number): Promise<string[]>;
  /**
   * Replaces the local cache of a user with what Arweave, the outbox and the cache itself hold
   * (whatever authenticates); `notIndexed`: records known here the gateway does not list yet.
   */
  rebuild(userKey: string): Promise<{ records: number; notIndexed: number }>;
  /** One user's memory in numbers (`permachat memory stats`). */
  userStats(userKey: string): Promise<UserStats>;
  flush(timeoutMs: number): Promise<boolean>;
  /** Records written locally and not yet on Arweave (they wait in the outbox). */
  waiting(): Promise<number>;
  stats(): { usersInRam: number; outbox: ReturnType<Outbox['stats']>; skipped: number };
  close(): Promise<void>;
  readonly crypto: MemoryCrypto;
}

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

export async function createMemory(deps: MemoryDeps): Promise<Memory> {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger;
  const crypto = await createMemoryCrypto(deps.masterKey);
  const cache = await createRecordCache(path.join(deps.dataDir, 'memory', 'cache'));
  // Users whose cache had lines appended since the last fsync. Appends are not fsynced one by
  // one: the outbox syncs them once per bundle, before it deletes the items (until then the
  // outbox still holds every record a power loss could take from the cache).
  const unsynced = new Set<string>();
  async function syncCache(): Promise<void> {
    const names = [...unsynced];
    unsynced.clear();
    try {
      await cache.sync(names);
    } catch (error) {
      for (const name of names) unsynced.add(name);
      throw error;
    }
  }
  // Records an earlier run left in the outbox, by user, for users with no local cache yet. A
  // crash between an item's fsync and its cache line leaves it only in the outbox: a cached
  // user gets it in their cache at start, before the item can be sent and deleted; any other
  // user's first load takes theirs in. So a retried turn finds the reply it already gave and
  // recall misses nothing that was acknowledged.
  let unsent = new Map<string, CachedRecord[]>();
  async function adopt(leftover: SignedItem[]): Promise<void> {
    unsent = byUser(leftover);
    for (const [pseudonym, rows] of unsent) {
      const cached = await cache.read(pseudonym);
      if (cached === undefined) continue;
      const missing = notIn(rows, cached);
      if (missing.length > 0) {
        await cache.append(pseudonym, missing);
        unsynced.add(pseudonym);
      }
      unsent.delete(pseudonym);
    }
    await syncCache();
  }
  const outbox = await createOutbox({ dir: path.join(deps.dataDir, 'memory', 'outbox'), arweave: deps.arweave, logger: log, beforeRemoving: syncCache, adopt, ...deps.outbox });
  const users = new Map<string, Promise<UserState>>();
  const rankTurns = createTurnRanker();
  const recallRelevant = createRelevantRecall(rankTurns);
  const maxUsers = deps.maxUsersInRam ?? 1000;
  const refreshAfterMs = deps.refreshAfterMs ?? 30_000;
  const snapshotEvery = deps.snapshotEvery ?? SNAPSHOT_EVERY;
  const gateway = createGatewayRecords({ arweave: deps.arweave, logger: log });
  const snapshots = createSnapshots({ arweave: deps.arweave, crypto, logger: log });
  let skipped = 0;
  /** Outbox items as cache rows, by user pseudonym (records only: a snapshot segment is no row). */
  function byUser(items: SignedItem[]): Map<string, CachedRecord[]> {
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

  function openAll(userKey: string, rows: CachedRecord[]): Entry[] {
    const entries: Entry[] = [];
    for (const row of rows) {
      try {
        entries.push({ id: row.id, record: decodeRecord(crypto.open(userKey, row.sealed)), sealed: row.sealed });
      } catch (error) {
        skipped += 1;
        log.warn(`memory record ${row.id} skipped: ${describeError(error)}`);
      }
    }
    return entries;
  }

  /**
   * Every record on Arweave: the snapshot segments, then the records listed after them (`whole`:
   * every record listed that no segment holds, wherever it stands in the list).
   */
  async function fromArweave(userKey: string, pseudonym: string, whole = false): Promise<{ rows: CachedRecord[]; covered: Set<string> }> {
    const snapshot = await snapshots.read(userKey, pseudonym);
    // An unreadable segment's records are not known here: then every record is read on its own.
    const tail =
      whole || snapshot.failed > 0
        ? await gateway.read([...(await gateway.listed(pseudonym))].filter((id) => !snapshot.covered.has(id)))
        : await gateway.newer(pseudonym, snapshot.covered);
    const rows = [...snapshot.rows, ...notIn(tail, snapshot.rows)];
    log.debug(`read ${rows.length} records of ${pseudonym} from Arweave (${snapshot.segments} snapshot segments, ${tail.length} records besides)`);
    return { rows, covered: snapshot.covered };
  }

  const opens = (userKey: string, row: CachedRecord) => {
    try {
      crypto.open(userKey, row.sealed);
      return true;
    } catch {
      return false;
    }
  };

  const byTime = (entries: Entry[]) => entries.sort((a, b) => a.record.at.localeCompare(b.record.at));

  /** The rows of an earlier run's outbox that `rows` lacks, taken out of `unsent`. */
  function unsentBeside(pseudonym: string, rows: CachedRecord[]): CachedRecord[] {
    const missing = notIn(unsent.get(pseudonym) ?? [], rows);
    unsent.delete(pseudonym);
    return missing;
  }

  function stateFrom(entries: Entry[], ids: Iterable<string>, covered: Set<string>, complete: boolean, refreshedAt: number): UserState {
    const uncovered = entries.filter((entry) => !covered.has(entry.id)).length;
    return { entries, ids: new Set(ids), complete, triedAt: Date.now(), refreshedAt, covered, uncovered };
  }

  async function load(userKey: string, known: Entry[] = []): Promise<UserState> {
    const pseudonym = crypto.pseudonym(userKey);
    const cached = await cache.read(pseudonym);
    // Another instance may have written since this cache was: the first turn reads through.
    if (cached !== undefined) return stateFrom(byTime(openAll(userKey, cached)), cached.map((row) => row.id), await cache.readCovered(pseudonym), true, 0);
    let rows: CachedRecord[];
    let covered: Set<string>;
    try {
      ({ rows, covered } = await fromArweave(userKey, pseudonym));
    } catch (error) {
      // The turn goes on with what this process knows; older memory is read once Arweave is back.
      log.warn(`memory of ${pseudonym} cannot be read from Arweave now (${describeError(error)}); answering without older memory`);
      return stateFrom(known, known.map((entry) => entry.id), new Set(), false, Date.now());
    }
    const all = [...rows, ...unsentBeside(pseudonym, rows)];
    const fetched = openAll(userKey, all);
    // Records remembered meanwhile may still be in the outbox, not yet on Arweave.
    const merged = byTime([...fetched, ...notIn(known, fetched)]);
    // A user with no records gets no file: anyone can ask about any number of made-up users.
    // Their first record creates it (remember appends while the state is complete).
    if (merged.length > 0) {
      await cache.replace(pseudonym, merged.map(({ id, sealed }) => ({ id, sealed })));
      await cache.replaceCovered(pseudonym, covered);
    }
    return stateFrom(merged, [...all.map((row) => row.id), ...known.map((entry) => entry.id)], covered, true, Date.now());
  }

  /** Takes in what the gateway lists for the user beyond what this machine holds (another instance's turns). */
  async function readThrough(userKey: string, state: UserState): Promise<void> {
    const pseudonym = crypto.pseudonym(userKey);
    try {
      const rows = (await gateway.newer(pseudonym, state.ids)).filter((row) => !state.ids.has(row.id));
      for (const row of rows) state.ids.add(row.id);
      const entries = openAll(userKey, rows);
      if (entries.length === 0) return;
      state.entries.push(...entries);
      byTime(state.entries);
      state.uncovered += entries.length;
      await cache.append(pseudonym, entries.map(({ id, sealed }) => ({ id, sealed })));
      unsynced.add(pseudonym);
      log.debug(`memory of ${pseudonym}: ${entries.length} records written elsewhere read through`);
    } catch (error) {
      log.warn(`memory of ${pseudonym}: records written by other instances cannot be read now (${describeError(error)}); answering with what this one holds`);
    } finally {
      state.refreshedAt = Date.now();
    }
  }

  async function fresh(userKey: string, state: UserState): Promise<UserState> {
    if (state.complete && Date.now() - state.refreshedAt >= refreshAfterMs) {
      state.refreshing ??= readThrough(userKey, state).finally(() => {
        state.refreshing = undefined;
      });
    }
    await state.refreshing;
    return state;
  }

  async function stateOf(userKey: string): Promise<UserState> {
    let pending = users.get(userKey);
    if (pending) users.delete(userKey); // re-inserted below: most recently used last
    else pending = load(userKey);
    users.set(userKey, pending);
    while (users.size > maxUsers) users.delete(users.keys().next().value as string);
    let state: UserState;
    try {
      state = await pending;
    } catch (error) {
      users.delete(userKey);
      throw error;
    }
    if (!state.complete && Date.now() - state.triedAt > RETRY_INCOMPLETE_MS) {
      const retried = load(userKey, state.entries);
      users.set(userKey, retried);
      state = await retried;
    }
    return fresh(userKey, state);
  }

  const entriesOf = async (userKey: string) => (await stateOf(userKey)).entries;

  /** Whether this machine holds anything of the user (in RAM, in its cache, or left in the outbox). */
  async function heldHere(userKey: string): Promise<boolean> {
    if (users.has(userKey)) return true;
    const pseudonym = crypto.pseudonym(userKey);
    return unsent.has(pseudonym) || (await cache.has(pseudonym));
  }

  /**
   * Writes the records not yet in a segment as one more, once there are enough of them. Queued
   * like a record (durable before its ids count as covered); a failure costs only speed.
   */
  async function snapshotIfDue(userKey: string, state: UserState): Promise<void> {
    if (!state.complete || state.uncovered < snapshotEvery) return;
    const pseudonym = crypto.pseudonym(userKey);
    const rows = state.entries.filter((entry) => !state.covered.has(entry.id)).map(({ id, sealed }) => ({ id, sealed }));
    try {
      const item = await deps.arweave.signItem(crypto.seal(userKey, encodeSegment(rows)), snapshotTags(pseudonym));
      await outbox.add(item, () => cache.addCovered(pseudonym, rows.map((row) => row.id)));
      for (const row of rows) state.covered.add(row.id);
      state.uncovered = state.entries.length - state.covered.size;
    } catch (error) {
      log.warn(`memory of ${pseudonym}: snapshot segment not written (${describeError(error)}); a cold load reads those records one by one`);
    }
  }

  async function remember(userKey: string, records: MemoryRecord[]): Promise<string[]> {
    const state = await stateOf(userKey);
    const pseudonym = crypto.pseudonym(userKey);
    const ids: string[] = [];
    for (const record of records) {
      const sealed = crypto.seal(userKey, encodeRecord(record));
      const item = await deps.arweave.signItem(sealed, memoryTags(pseudonym));
      // The cache line is written while the item is held in the outbox: a crash before it
      // leaves the item there for the next start (see unsent), never only on Arweave.
      await outbox.add(item, async () => {
        if (!state.complete) return;
        await cache.append(pseudonym, [{ id: item.id, sealed }]);
        unsynced.add(pseudonym);
      });
      ids.push(item.id);
      state.ids.add(item.id);
      state.entries.push({ id: item.id, record, sealed });
      state.uncovered += 1;
    }
    await snapshotIfDue(userKey, state);
    return ids;
  }

  /** The entries after the last record of this kind (all of them when there is none). */
  const after = (kind: MemoryRecord['kind'], entries: Entry[]) => entries.slice(entries.map((e) => e.record.kind).lastIndexOf(kind) + 1);
  const afterForget = (entries: Entry[]) => after('forget', entries);
  const turnsOf = (entries: Entry[]) => entries.flatMap((e) => (e.record.kind === 'turn' ? [e.record] : []));

  return {
    crypto,
    async rememberTurn(userKey: string, turn: RememberedTurn) {
      return remember(userKey, [{ v: 1, kind: 'turn', ...turn }]);
    },
    async rememberFacts(userKey: string, facts: LearnedFact[]) {
      const at = now().toISOString();
      return remember(userKey, facts.map((fact) => ({ v: 1 as const, kind: 'fact' as const, ...fact, at })));
    },
    async recall(userKey, query, opts): Promise<Recollection> {
      if (opts.localOnly && !(await heldHere(userKey))) return { recent: [], relevant: [], facts: [] };
      const live = afterForget(await entriesOf(userKey));
      const turns = turnsOf(live);
      // The current conversation is a tail of the turns: what is not recent is older, before a reset or not.
      const conversation = opts.acrossResets ? turns : turnsOf(after('reset', live));
      const recent = opts.recent > 0 ? conversation.slice(-opts.recent) : [];
      const older = turns.slice(0, turns.length - recent.length);
      // `relevant` turns' worth of characters: the recalled part of the prompt has a fixed size.
      const relevant = recallRelevant(query, older, opts.relevant * CHARS_PER_RECALLED_TURN, now());
      const facts = [...new Set(live.flatMap((e) => (e.record.kind === 'fact' ? [`${e.record.factKind}: ${e.record.text}`] : [])))];
      return { recent: recent.map(({ userText, reply, at }) => ({ userText, reply, at })), relevant, facts };
    },
    async rank(userKey, query, k) {
      const turns = turnsOf(afterForget(await entriesOf(userKey)));
      return rankTurns(query, turns, k, now()).map((i) => (turns[i] as TurnRecord).turnId);
    },
    async findTurn(userKey, turnId) {
      const entry = (await entriesOf(userKey)).find((e) => e.record.kind === 'turn' && e.record.turnId === turnId);
      return entry?.record.kind === 'turn' ? entry.record : undefined;
    },
    // Neither writes a record when there is nothing to end (as far as this machine could read):
    // a reset or forget of a made-up session costs no permanent record.
    async reset(userKey) {
      const state = await stateOf(userKey);
      if (state.complete && turnsOf(after('reset', afterForget(state.entries))).length === 0) return;
      await remember(userKey, [{ v: 1, kind: 'reset', at: now().toISOString() }]);
    },
    async forget(userKey) {
      const state = await stateOf(userKey);
      if (state.complete && afterForget(state.entries).length === 0) return;
      await remember(userKey, [{ v: 1, kind: 'forget', at: now().toISOString() }]);
    },
    async exportUser(userKey) {
      const entries = await entriesOf(userKey);
      return { user: userKey, pseudonym: crypto.pseudonym(userKey), records: entries.map((e) => ({ id: e.id, ...e.record })) };
    },
    async rebuild(userKey) {
      const pseudonym = crypto.pseudonym(userKey);
      // What is still on its way to Arweave is part of the memory too. The outbox is read
      // first: an item sent after this is on Arweave by the time Arweave is read.
      const queued = byUser(await outbox.pendingItems()).get(pseudonym) ?? [];
      // Sent and deleted from the outbox, but not listed by the gateway yet (it indexes late):
      // only the cache holds those. Lines that do not authenticate are what a rebuild is for.
      const cached = ((await cache.read(pseudonym)) ?? []).filter((row) => opens(userKey, row));
      const local = [...queued, ...notIn(cached, queued)];
      const { rows, covered } = await fromArweave(userKey, pseudonym, true);
      const notIndexed = notIn(local, rows);
      await cache.replace(pseudonym, [...rows, ...notIndexed]);
      await cache.replaceCovered(pseudonym, covered);
      users.delete(userKey);
      return { records: (await entriesOf(userKey)).length, notIndexed: notIndexed.length };
    },
    async userStats(userKey) {
      const pseudonym = crypto.pseudonym(userKey);
      const entries = await entriesOf(userKey);
      const turns = turnsOf(entries);
      const sealedBytes = entries.reduce((sum, entry) => sum + entry.sealed.length, 0);
      // Every record item carries the same header (signature, owner, tags of fixed length): one signed empty item tells its size.
      const header = (await deps.arweave.signItem(new Uint8Array(0), memoryTags(pseudonym))).raw.length;
      return {
        user: userKey, pseudonym, records: entries.length, turns: turns.length, sealedBytes, itemBytes: sealedBytes + header * entries.length,
        oldestTurn: turns[0]?.at ?? null, newestTurn: turns.at(-1)?.at ?? null,
      };
    },
    flush: (timeoutMs) => outbox.flush(timeoutMs),
    waiting: () => outbox.pending(),
    stats: () => ({ usersInRam: users.size, outbox: outbox.stats(), skipped }),
    async close() {
      const drained = await outbox.flush(15_000);
      if (!drained) log.warn(`memory: ${await outbox.pending()} records still waiting for Arweave; they are safe in the outbox and will be sent on the next start`);
      await outbox.close();
    },
  };
}
