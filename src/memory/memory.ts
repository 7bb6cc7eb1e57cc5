/**
 * Permanent encrypted memory: every turn and learned fact becomes one encrypted record on
 * Arweave, through the durable outbox; a local cache keeps recall fast and is rebuilt from
 * Arweave when missing. Users are keyed pseudonyms: one user's records can neither be found
 * under nor decrypted with another user's key.
 */
import type { ArweaveClient } from '../arweave/client.js';
import type { LearnedFact, MemoryPort, RecallOptions, Recollection, RememberedTurn } from '../conversation/ports.js';
import { memoryPaths } from '../config/paths.js';
import type { Logger } from '../logger.js';
import { createRecordCache } from './cache.js';
import { createMemoryCrypto, type MemoryCrypto } from './crypto.js';
import { createGatewayRecords } from './gateway-records.js';
import { adoptLeftover, syncCache } from './local-records.js';
import { rebuildUser, statsOfUser, type UserStats } from './memory-maintenance.js';
import { after, afterForget, turnsOf, type Entry, type MemoryState } from './memory-state.js';
import { rememberWith } from './memory-writer.js';
import { createOutbox, type Outbox } from './outbox.js';
import type { MemoryRecord, TurnRecord } from './records.js';
import { CHARS_PER_RECALLED_TURN, createRelevantRecall, type RelevantRecall } from './recalled-turns.js';
import type { WordVectors } from '../text/word-vectors.js';
import { createTurnRanker, RANKING } from './relevance.js';
import { createSnapshots, SNAPSHOT_EVERY } from './snapshots.js';
import { createUserLoader } from './user-loader.js';

export { APP_NAME, memoryTags } from './tags.js';
export type { UserStats } from './memory-maintenance.js';

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
  /** Word vectors for recall by meaning once loaded (word-vectors-source.ts); none: words alone. */
  wordVectors?: () => WordVectors | undefined;
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

/** What recall answers from a user's entries: the recent turns, the relevant older ones, the facts. */
function recollect(entries: Entry[], query: string, opts: RecallOptions, recallRelevant: RelevantRecall, at: Date): Recollection {
  const live = afterForget(entries);
  const turns = turnsOf(live);
  // The current conversation is a tail of the turns: what is not recent is older, before a reset or not.
  const conversation = opts.acrossResets ? turns : turnsOf(after('reset', live));
  const recent = opts.recent > 0 ? conversation.slice(-opts.recent) : [];
  const older = turns.slice(0, turns.length - recent.length);
  // `relevant` turns' worth of characters: the recalled part of the prompt has a fixed size.
  const relevant = recallRelevant(query, older, opts.relevant * CHARS_PER_RECALLED_TURN, at);
  const facts = [...new Set(live.flatMap((e) => (e.record.kind === 'fact' ? [`${e.record.factKind}: ${e.record.text}`] : [])))];
  return { recent: recent.map(({ userText, reply, at: when }) => ({ userText, reply, at: when })), relevant, facts };
}

export async function createMemory(deps: MemoryDeps): Promise<Memory> {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger;
  const crypto = await createMemoryCrypto(deps.masterKey);
  const state: MemoryState = {
    crypto,
    cache: await createRecordCache(memoryPaths(deps.dataDir).cache),
    gateway: createGatewayRecords({ arweave: deps.arweave, logger: log }),
    snapshots: createSnapshots({ arweave: deps.arweave, crypto, logger: log }),
    log,
    unsynced: new Set(),
    unsent: new Map(),
    counters: { skipped: 0 },
  };
  const outbox = await createOutbox({ dir: memoryPaths(deps.dataDir).outbox, arweave: deps.arweave, logger: log, beforeRemoving: () => syncCache(state), adopt: (leftover) => adoptLeftover(state, leftover), ...deps.outbox });
  const loader = createUserLoader(state, { maxUsers: deps.maxUsersInRam ?? 1000, refreshAfterMs: deps.refreshAfterMs ?? 30_000 });
  const remember = rememberWith({ state, arweave: deps.arweave, outbox, stateOf: loader.stateOf, snapshotEvery: deps.snapshotEvery ?? SNAPSHOT_EVERY });
  const rankTurns = createTurnRanker(RANKING, deps.wordVectors);
  const recallRelevant = createRelevantRecall(rankTurns);

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
      if (opts.localOnly && !(await loader.heldHere(userKey))) return { recent: [], relevant: [], facts: [] };
      return recollect(await loader.entriesOf(userKey), query, opts, recallRelevant, now());
    },
    async rank(userKey, query, k) {
      const turns = turnsOf(afterForget(await loader.entriesOf(userKey)));
      return rankTurns(query, turns, k, now()).map((i) => (turns[i] as TurnRecord).turnId);
    },
    async findTurn(userKey, turnId) {
      const entry = (await loader.entriesOf(userKey)).find((e) => e.record.kind === 'turn' && e.record.turnId === turnId);
      return entry?.record.kind === 'turn' ? entry.record : undefined;
    },
    // Neither writes a record when there is nothing to end (as far as this machine could read):
    // a reset or forget of a made-up session costs no permanent record.
    async reset(userKey) {
      const user = await loader.stateOf(userKey);
      if (user.complete && turnsOf(after('reset', afterForget(user.entries))).length === 0) return;
      await remember(userKey, [{ v: 1, kind: 'reset', at: now().toISOString() }]);
    },
    async forget(userKey) {
      const user = await loader.stateOf(userKey);
      if (user.complete && afterForget(user.entries).length === 0) return;
      await remember(userKey, [{ v: 1, kind: 'forget', at: now().toISOString() }]);
    },
    async exportUser(userKey) {
      const entries = await loader.entriesOf(userKey);
      return { user: userKey, pseudonym: crypto.pseudonym(userKey), records: entries.map((e) => ({ id: e.id, ...e.record })) };
    },
    rebuild: (userKey) => rebuildUser(state, outbox, loader, userKey),
    userStats: (userKey) => statsOfUser(state, deps.arweave, loader, userKey),
    flush: (timeoutMs) => outbox.flush(timeoutMs),
    waiting: () => outbox.pending(),
    stats: () => ({ usersInRam: loader.usersInRam(), outbox: outbox.stats(), skipped: state.counters.skipped }),
    async close() {
      const drained = await outbox.flush(15_000);
      if (!drained) log.warn(`memory: ${await outbox.pending()} records still waiting for Arweave; they are safe in the outbox and will be sent on the next start`);
      await outbox.close();
    },
  };
}
