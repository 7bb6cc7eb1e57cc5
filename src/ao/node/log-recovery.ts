/**
 * The message log on start: every entry this node's wallet recorded, from the journal and from
 * Arweave. When every receipt's entry is in the journal, this machine holds the whole log it
 * knows: only records written elsewhere after those can be missing. They are the newest, so
 * pages are read newest first until one holds no record unknown here. Otherwise (a new machine,
 * a lost or damaged journal) every record id is listed and receipts are checked against it.
 */
import { tagValue } from '../../arweave/tag.js';
import { GATEWAY_READS_AT_ONCE, type ArweaveClient } from '../../arweave/client.js';
import { mapLimited } from '../../concurrency.js';

import type { LogCodec } from './log-codec.js';
import { keyOf, type LogJournal, type Receipt } from './log-journal.js';
import type { LogEntry } from './types.js';

type Listed = Awaited<ReturnType<ArweaveClient['queryAll']>>;

export interface LogRecoveryDeps {
  arweave: ArweaveClient;
  codec: LogCodec;
  journal: LogJournal;
  /** Queues journal entries that never reached Arweave. */
  upload(...entries: LogEntry[]): void;
}

async function listRecords(deps: LogRecoveryDeps, receipts: Receipt[], localComplete: boolean): Promise<Listed> {
  const filter = deps.codec.recordFilter(await deps.arweave.address());
  if (!localComplete) return deps.arweave.queryAll(filter);
  const known = new Set(receipts.map((receipt) => receipt.id));
  const listed: Listed = [];
  for (let after: string | undefined; ; ) {
    const page = await deps.arweave.query({ ...filter, sort: 'HEIGHT_DESC', ...(after === undefined ? {} : { after }) });
    listed.push(...page.items);
    const last = page.items[page.items.length - 1];
    if (!page.hasNextPage || !last || page.items.every((item) => known.has(item.id))) return listed;
    after = last.cursor;
  }
}

/** Reads back the records without a receipt here (several at a time, in listing order). */
async function readBack(deps: LogRecoveryDeps, listed: Listed, receipted: Map<string, string>): Promise<Array<{ id: string; entry: LogEntry }>> {
  const seen = new Set<string>();
  const toRead = listed.filter((record) => !seen.has(record.id) && !receipted.has(record.id) && seen.add(record.id));
  const datas = await mapLimited(toRead, GATEWAY_READS_AT_ONCE, (record) => deps.arweave.getData(record.id));
  return toRead.flatMap((record, i) => deps.codec.decode(datas[i] as Uint8Array, tagValue(record.tags, 'Encrypted') === 'true').map((entry) => ({ id: record.id, entry })));
}

/**
 * Records read back get a receipt, and join the journal unless it has them (an upload whose
 * receipt was lost), so the next start has them locally. Receipts first: a crash between the
 * two leaves a receipt without its entry, which makes the next start list every record again
 * rather than miss one.
 */
async function keepLocally(deps: LogRecoveryDeps, records: Array<{ id: string; entry: LogEntry }>, inJournal: Set<string>): Promise<void> {
  if (records.length === 0) return;
  await deps.journal.appendReceipts(records);
  const missing = records.filter(({ entry }) => !inJournal.has(keyOf(entry)));
  if (missing.length > 0) await deps.journal.append(missing.map(({ entry }) => ({ data: deps.codec.encode(entry), encrypted: deps.codec.encrypts })));
}

/** Every recorded entry (Arweave ∪ journal), one per (process, slot), sorted by process then slot. */
export async function recoverLog(deps: LogRecoveryDeps): Promise<LogEntry[]> {
  const receipts = await deps.journal.readReceipts();
  const journalEntries = (await deps.journal.read()).flatMap((line) => deps.codec.decode(line.data, line.encrypted));
  const journalKeys = new Set(journalEntries.map((entry) => keyOf(entry)));
  const localComplete = receipts.length > 0 && receipts.every((receipt) => journalKeys.has(receipt.key));
  const listed = await listRecords(deps, receipts, localComplete);
  const onArweave = new Set(listed.map((record) => record.id));
  // Records this machine uploaded are in its journal: only the others are read back. In the
  // full listing, a receipt whose record Arweave does not have is ignored, so that entry is
  // uploaded again.
  const receipted = new Map<string, string>();
  for (const receipt of receipts) if (localComplete || onArweave.has(receipt.id)) receipted.set(receipt.id, receipt.key);
  const uploadedKeys = new Set(receipted.values());
  const fromArweave = await readBack(deps, listed, receipted);
  const arweaveKeys = new Set(fromArweave.map(({ entry }) => keyOf(entry)));
  // Journal entries are all kept; those that never reached Arweave are uploaded now.
  deps.upload(...journalEntries.filter((entry) => !uploadedKeys.has(keyOf(entry)) && !arweaveKeys.has(keyOf(entry)) && uploadedKeys.add(keyOf(entry))));
  await keepLocally(deps, fromArweave, journalKeys);
  const unique = new Map<string, LogEntry>();
  for (const entry of [...fromArweave.map(({ entry }) => entry), ...journalEntries]) {
    const key = `${entry.process}:${entry.slot}`;
    if (!unique.has(key)) unique.set(key, entry);
  }
  return [...unique.values()].sort((a, b) => (a.process === b.process ? a.slot - b.slot : a.process < b.process ? -1 : 1));
}
