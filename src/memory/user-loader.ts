/**
 * A user's records in RAM: loaded from the local cache, or from Arweave (snapshot segments, then
 * the records after them) with what an earlier run left in the outbox; kept for the most recently
 * used users; read through the gateway for what other instances wrote since.
 */
import type { CachedRecord } from './cache.js';
import { describeError } from '../errors.js';
import { unsentBeside } from './local-records.js';
import { byTime, notIn, openAll, type Entry, type MemoryState, type UserState } from './memory-state.js';

const RETRY_INCOMPLETE_MS = 5_000;

/**
 * Every record on Arweave: the snapshot segments, then the records listed after them (`whole`:
 * every record listed that no segment holds, wherever it stands in the list).
 */
export async function fromArweave(state: MemoryState, userKey: string, pseudonym: string, whole = false): Promise<{ rows: CachedRecord[]; covered: Set<string> }> {
  const snapshot = await state.snapshots.read(userKey, pseudonym);
  // An unreadable segment's records are not known here: then every record is read on its own.
  const tail =
    whole || snapshot.failed > 0
      ? await state.gateway.read([...(await state.gateway.listed(pseudonym))].filter((id) => !snapshot.covered.has(id)))
      : await state.gateway.newer(pseudonym, snapshot.covered);
  const rows = [...snapshot.rows, ...notIn(tail, snapshot.rows)];
  state.log.debug(`read ${rows.length} records of ${pseudonym} from Arweave (${snapshot.segments} snapshot segments, ${tail.length} records besides)`);
  return { rows, covered: snapshot.covered };
}

function stateFrom(entries: Entry[], ids: Iterable<string>, covered: Set<string>, complete: boolean, refreshedAt: number): UserState {
  const uncovered = entries.filter((entry) => !covered.has(entry.id)).length;
  return { entries, ids: new Set(ids), complete, triedAt: Date.now(), refreshedAt, covered, uncovered };
}

/** Loads a user from the cache, else from Arweave; `known`: entries this process holds already (a retry). */
async function load(state: MemoryState, userKey: string, known: Entry[] = []): Promise<UserState> {
  const pseudonym = state.crypto.pseudonym(userKey);
  const cached = await state.cache.read(pseudonym);
  // Another instance may have written since this cache was: the first turn reads through.
  if (cached !== undefined) return stateFrom(byTime(openAll(state, userKey, cached)), cached.map((row) => row.id), await state.cache.readCovered(pseudonym), true, 0);
  let rows: CachedRecord[];
  let covered: Set<string>;
  try {
    ({ rows, covered } = await fromArweave(state, userKey, pseudonym));
  } catch (error) {
    // The turn goes on with what this process knows; older memory is read once Arweave is back.
    state.log.warn(`memory of ${pseudonym} cannot be read from Arweave now (${describeError(error)}); answering without older memory`);
    return stateFrom(known, known.map((entry) => entry.id), new Set(), false, Date.now());
  }
  const all = [...rows, ...unsentBeside(state, pseudonym, rows)];
  const fetched = openAll(state, userKey, all);
  // Records remembered meanwhile may still be in the outbox, not yet on Arweave.
  const merged = byTime([...fetched, ...notIn(known, fetched)]);
  // A user with no records gets no file: anyone can ask about any number of made-up users.
  // Their first record creates it (remember appends while the state is complete).
  if (merged.length > 0) {
    await state.cache.replace(pseudonym, merged.map(({ id, sealed }) => ({ id, sealed })));
    await state.cache.replaceCovered(pseudonym, covered);
  }
  return stateFrom(merged, [...all.map((row) => row.id), ...known.map((entry) => entry.id)], covered, true, Date.now());
}

/** Takes in what the gateway lists for the user beyond what this machine holds (another instance's turns). */
async function readThrough(state: MemoryState, userKey: string, user: UserState): Promise<void> {
  const pseudonym = state.crypto.pseudonym(userKey);
  try {
    const rows = (await state.gateway.newer(pseudonym, user.ids)).filter((row) => !user.ids.has(row.id));
    for (const row of rows) user.ids.add(row.id);
    const entries = openAll(state, userKey, rows);
    if (entries.length === 0) return;
    user.entries.push(...entries);
    byTime(user.entries);
    user.uncovered += entries.length;
    await state.cache.append(pseudonym, entries.map(({ id, sealed }) => ({ id, sealed })));
    state.unsynced.add(pseudonym);
    state.log.debug(`memory of ${pseudonym}: ${entries.length} records written elsewhere read through`);
  } catch (error) {
    state.log.warn(`memory of ${pseudonym}: records written by other instances cannot be read now (${describeError(error)}); answering with what this one holds`);
  } finally {
    user.refreshedAt = Date.now();
  }
}

export interface UserLoader {
  /** The user's state, loaded (or retried, or read through) as needed; most recently used last. */
  stateOf(userKey: string): Promise<UserState>;
  entriesOf(userKey: string): Promise<Entry[]>;
  /** Whether this machine holds anything of the user (in RAM, in its cache, or left in the outbox). */
  heldHere(userKey: string): Promise<boolean>;
  /** Drops the user from RAM (the next use loads again). */
  unload(userKey: string): void;
  usersInRam(): number;
}

export function createUserLoader(state: MemoryState, opts: { maxUsers: number; refreshAfterMs: number }): UserLoader {
  const users = new Map<string, Promise<UserState>>();

  async function fresh(userKey: string, user: UserState): Promise<UserState> {
    if (user.complete && Date.now() - user.refreshedAt >= opts.refreshAfterMs) {
      user.refreshing ??= readThrough(state, userKey, user).finally(() => {
        user.refreshing = undefined;
      });
    }
    await user.refreshing;
    return user;
  }

  async function stateOf(userKey: string): Promise<UserState> {
    let pending = users.get(userKey);
    if (pending) users.delete(userKey); // re-inserted below: most recently used last
    else pending = load(state, userKey);
    users.set(userKey, pending);
    while (users.size > opts.maxUsers) users.delete(users.keys().next().value as string);
    let user: UserState;
    try {
      user = await pending;
    } catch (error) {
      users.delete(userKey);
      throw error;
    }
    if (!user.complete && Date.now() - user.triedAt > RETRY_INCOMPLETE_MS) {
      const retried = load(state, userKey, user.entries);
      users.set(userKey, retried);
      user = await retried;
    }
    return fresh(userKey, user);
  }

  return {
    stateOf,
    entriesOf: async (userKey) => (await stateOf(userKey)).entries,
    async heldHere(userKey) {
      if (users.has(userKey)) return true;
      const pseudonym = state.crypto.pseudonym(userKey);
      return state.unsent.has(pseudonym) || (await state.cache.has(pseudonym));
    },
    unload: (userKey) => {
      users.delete(userKey);
    },
    usersInRam: () => users.size,
  };
}
