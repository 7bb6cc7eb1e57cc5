/**
 * Writing a user's records: each sealed, signed and queued in the durable outbox, its cache line
 * written while the outbox holds it; then, once enough records are outside every snapshot
 * segment, one more segment.
 */
import type { ArweaveClient } from '../arweave/client.js';
import { describeError } from '../errors.js';
import type { MemoryState, UserState } from './memory-state.js';
import type { Outbox } from './outbox.js';
import { encodeRecord, type MemoryRecord } from './records.js';
import { encodeSegment } from './snapshots.js';
import { memoryTags, snapshotTags } from './tags.js';

export interface MemoryWriterDeps {
  state: MemoryState;
  arweave: ArweaveClient;
  outbox: Outbox;
  stateOf: (userKey: string) => Promise<UserState>;
  /** Records a user gains between two snapshot segments. */
  snapshotEvery: number;
}

/**
 * Writes the records not yet in a segment as one more, once there are enough of them. Queued
 * like a record (durable before its ids count as covered); a failure costs only speed.
 */
async function snapshotIfDue(deps: MemoryWriterDeps, userKey: string, user: UserState): Promise<void> {
  if (!user.complete || user.uncovered < deps.snapshotEvery) return;
  const { crypto, cache, log } = deps.state;
  const pseudonym = crypto.pseudonym(userKey);
  const rows = user.entries.filter((entry) => !user.covered.has(entry.id)).map(({ id, sealed }) => ({ id, sealed }));
  try {
    const item = await deps.arweave.signItem(crypto.seal(userKey, encodeSegment(rows)), snapshotTags(pseudonym));
    await deps.outbox.add(item, () => cache.addCovered(pseudonym, rows.map((row) => row.id)));
    for (const row of rows) user.covered.add(row.id);
    user.uncovered = user.entries.length - user.covered.size;
  } catch (error) {
    log.warn(`memory of ${pseudonym}: snapshot segment not written (${describeError(error)}); a cold load reads those records one by one`);
  }
}

/** Returns remember: writes the records of a user, answering their ids. */
export function rememberWith(deps: MemoryWriterDeps): (userKey: string, records: MemoryRecord[]) => Promise<string[]> {
  const { crypto, cache, unsynced } = deps.state;
  return async function remember(userKey, records) {
    const user = await deps.stateOf(userKey);
    const pseudonym = crypto.pseudonym(userKey);
    const ids: string[] = [];
    for (const record of records) {
      const sealed = crypto.seal(userKey, encodeRecord(record));
      const item = await deps.arweave.signItem(sealed, memoryTags(pseudonym));
      // The cache line is written while the item is held in the outbox: a crash before it
      // leaves the item there for the next start (see local-records.ts), never only on Arweave.
      await deps.outbox.add(item, async () => {
        if (!user.complete) return;
        await cache.append(pseudonym, [{ id: item.id, sealed }]);
        unsynced.add(pseudonym);
      });
      ids.push(item.id);
      user.ids.add(item.id);
      user.entries.push({ id: item.id, record, sealed });
      user.uncovered += 1;
    }
    await snapshotIfDue(deps, userKey, user);
    return ids;
  };
}
