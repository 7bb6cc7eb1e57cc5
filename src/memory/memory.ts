/**
 * Permanent encrypted memory: every turn and learned fact becomes one encrypted record on
 * Arweave, through the durable outbox; a local cache keeps recall fast and is rebuilt from
 * Arweave when missing. Users are keyed pseudonyms: one user's records can neither be found
 * under nor decrypted with another user's key.
 */
import path from 'node:path';
import { GATEWAY_READS_AT_ONCE, readSignedItem, type ArweaveClient, type SignedItem } from '../arweave/client.js';
import type { LearnedFact, MemoryPort, Recollection, RememberedTurn } from '../conversation/ports.js';
import { mapLimited } from '../concurrency.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createRecordCache, type CachedRecord } from './cache.js';
import { createMemoryCrypto, type MemoryCrypto } from './crypto.js';
import { createOutbox, type Outbox } from './outbox.js';
import { CURRENT_VERSION, decodeRecord, encodeRecord, type MemoryRecord, type TurnRecord } from './records.js';
import { CHARS_PER_RECALLED_TURN, createRelevantRecall } from './recalled-turns.js';
import { createTurnRanker } from './relevance.js';

export const APP_NAME = 'permachat';

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
}

interface Entry {
  id: string;
  record: MemoryRecord;
  sealed: Uint8Array;
}

/** A user's records in RAM. Incomplete when Arweave could not be read: retried, never cached as whole. */
interface UserState {
  entries: Entry[];
  complete: boolean;
  triedAt: number;
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
  /** Replaces the local cache of a user with their records on Arweave and in the outbox; returns how many. */
  rebuild(userKey: string): Promise<number>;
  flush(timeoutMs: number): Promise<boolean>;
  /** Records written locally and not yet on Arweave (they wait in the outbox). */
  waiting(): Promise<number>;
  stats(): { usersInRam: number; outbox: ReturnType<Outbox['stats']>; skipped: number };
  close(): Promise<void>;
  readonly crypto: MemoryCrypto;
}

export const memoryTags = (pseudonym: string) => [
  { name: 'App-Name', value: APP_NAME },
  { name: 'Record-Format', value: String(CURRENT_VERSION) },
  { name: 'User', value: pseudonym },
  { name: 'Content-Type', value: 'application/octet-stream' },
];

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
  let skipped = 0;
  /** Outbox items as cache rows, by user pseudonym. */
  function byUser(items: SignedItem[]): Map<string, CachedRecord[]> {
    const rows = new Map<string, CachedRecord[]>();
    for (const item of items) {
      try {
        const { tags, data } = readSignedItem(item);
        const user = tags.find((tag) => tag.name === 'User')?.value;
        if (user === undefined) continue;
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

  async function fromArweave(userKey: string, pseudonym: string): Promise<CachedRecord[]> {
    const found = await deps.arweave.queryAll({ tags: [{ name: 'App-Name', values: [APP_NAME] }, { name: 'User', values: [pseudonym] }] });
    const seen = new Set<string>();
    const unique = found.filter((item) => !seen.has(item.id) && seen.add(item.id));
    const read = await mapLimited(unique, GATEWAY_READS_AT_ONCE, async (item) => {
      try {
        return { id: item.id, sealed: await deps.arweave.getData(item.id) };
      } catch (error) {
        log.warn(`memory record ${item.id} could not be read from Arweave: ${describeError(error)}`);
        return undefined;
      }
    });
    const rows = read.filter((row): row is CachedRecord => row !== undefined);
    log.debug(`rebuilt ${rows.length} records of ${pseudonym} from Arweave`);
    return rows;
  }

  const byTime = (entries: Entry[]) => entries.sort((a, b) => a.record.at.localeCompare(b.record.at));

  /** The rows of an earlier run's outbox that `rows` lacks, taken out of `unsent`. */
  function unsentBeside(pseudonym: string, rows: CachedRecord[]): CachedRecord[] {
    const missing = notIn(unsent.get(pseudonym) ?? [], rows);
    unsent.delete(pseudonym);
    return missing;
  }

  async function load(userKey: string, known: Entry[] = []): Promise<UserState> {
    const pseudonym = crypto.pseudonym(userKey);
    const cached = await cache.read(pseudonym);
    if (cached !== undefined) return { entries: byTime(openAll(userKey, cached)), complete: true, triedAt: Date.now() };
    let rows: CachedRecord[];
    try {
      rows = await fromArweave(userKey, pseudonym);
    } catch (error) {
      // The turn goes on with what this process knows; older memory is read once Arweave is back.
      log.warn(`memory of ${pseudonym} cannot be read from Arweave now (${describeError(error)}); answering without older memory`);
      return { entries: known, complete: false, triedAt: Date.now() };
    }
    const fetched = openAll(userKey, [...rows, ...unsentBeside(pseudonym, rows)]);
    // Records remembered meanwhile may still be in the outbox, not yet on Arweave.
    const merged = byTime([...fetched, ...notIn(known, fetched)]);
    // A user with no records gets no file: anyone can ask about any number of made-up users.
    // Their first record creates it (remember appends while the state is complete).
    if (merged.length > 0) await cache.replace(pseudonym, merged.map(({ id, sealed }) => ({ id, sealed })));
    return { entries: merged, complete: true, triedAt: Date.now() };
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
    return state;
  }

  const entriesOf = async (userKey: string) => (await stateOf(userKey)).entries;

  /** Whether this machine holds anything of the user (in RAM, in its cache, or left in the outbox). */
  async function heldHere(userKey: string): Promise<boolean> {
    if (users.has(userKey)) return true;
    const pseudonym = crypto.pseudonym(userKey);
    return unsent.has(pseudonym) || (await cache.has(pseudonym));
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
      state.entries.push({ id: item.id, record, sealed });
    }
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
      const rows = await fromArweave(userKey, pseudonym);
      const pending = notIn(queued, rows);
      await cache.replace(pseudonym, [...rows, ...pending]);
      users.delete(userKey);
      return (await entriesOf(userKey)).length;
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
