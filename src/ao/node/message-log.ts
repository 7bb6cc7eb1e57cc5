/**
 * The node's message log. Scheduled messages reach Arweave as records: the LogEntries one process
 * logged during one upload batch, as JSON, encrypted in private mode, inside a data item signed
 * by the node and tagged only with a keyed pseudonym of the process. A local journal (dataDir) makes an entry durable at once;
 * records are signed and reach Arweave in batched bundles, off the path that acknowledges. Upload
 * receipts say which journal entries Arweave holds; records read back from Arweave (written by
 * another machine, or before this journal) join the journal, so that a restart reads only what
 * is newer than all it knows.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { GATEWAY_READS_AT_ONCE, type ArweaveClient, type SignedItem } from '../../arweave/client.js';
import { describeError, InputError } from '../../errors.js';
import { mapLimited } from '../../concurrency.js';
import type { Logger } from '../../logger.js';
import { tagValue } from './data-item.js';
import type { Cipher } from '../../cipher.js';
import type { LogEntry, Tag } from './types.js';

const entrySchema = z.object({
  v: z.literal(1),
  process: z.string(),
  slot: z.number().int().nonnegative(),
  timestamp: z.number(),
  blockHeight: z.number(),
  hashChain: z.string(),
  item: z.string(),
  pushKey: z.string().optional(),
  moduleHash: z.string().optional(),
  assignmentSignature: z.string().optional(),
});

/** A journal line: the record's payload (ciphertext in private mode), nothing in the clear. */
const journalLine = z.object({ data: z.string(), encrypted: z.boolean() });
/** An upload receipt: which Arweave record holds which (process, slot), the pair only hashed. */
const receiptLine = z.object({ id: z.string(), key: z.string() });


export const LOG_RECORD_TYPE = 'AO-Log-Record';

export interface MessageLog {
  /** Durable in the local journal when it resolves; reaches Arweave with the next batch. */
  append(entry: LogEntry): Promise<void>;
  /** Every recorded entry (Arweave ∪ journal), one per (process, slot), sorted by process then slot. */
  recover(): Promise<LogEntry[]>;
  /** Records in the local journal not yet on Arweave (queued or being uploaded). */
  waiting(): number;
  /** One process's journal entries from its spawn through `slot`, in slot order (for recomputing an old result). */
  history(process: string, slot: number): Promise<LogEntry[]>;
  /** Uploads everything pending now (within `budgetMs` when given: batches already started finish). */
  flush(budgetMs?: number): Promise<void>;
  /** Ids of the Arweave records written so far (for tests and audits). */
  recordIds(): string[];
  close(): Promise<void>;
}

export interface MessageLogDeps {
  dataDir: string;
  arweave: ArweaveClient;
  privateMode: boolean;
  cipher?: Cipher;
  pseudonym?: (pid: string) => string;
  appName: string;
  logger: Logger;
  uploadDelayMs: number;
  /** How long close() keeps uploading a backlog (default 15 s); the rest waits in the journal. */
  closeBudgetMs?: number;
  /** Clock for those budgets (tests). */
  now?: () => number;
}

export function createMessageLog(deps: MessageLogDeps): MessageLog {
  if (deps.privateMode && (!deps.cipher || !deps.pseudonym)) {
    throw new InputError('the AO node in private mode needs a cipher and a pseudonym function', { hint: 'pass cipher and pseudonym, or privateMode: false' });
  }
  const journal = path.join(deps.dataDir, 'ao-node', 'log.jsonl');
  const receipts = path.join(deps.dataDir, 'ao-node', 'uploaded.jsonl');
  const keyOf = (entry: LogEntry) => createHash('sha256').update(`${entry.process}:${entry.slot}`).digest('base64url').slice(0, 22);
  /** Entries in the journal not yet on Arweave, in append order. */
  const pending: LogEntry[] = [];
  const written: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let uploading: Promise<void> = Promise.resolve();
  /** Records of the batch being uploaded (out of `pending` until it succeeds or fails). */
  let inFlight = 0;
  let appending: Promise<void> = Promise.resolve();
  let closed = false;

  /**
   * Appends journal lines, one write at a time in call order: a later slot is never durable
   * before an earlier one, so a crash cannot leave a gap in a process's slots.
   */
  function appendToJournal(records: Array<{ data: Uint8Array; encrypted: boolean }>): Promise<void> {
    const text = records.map(({ data, encrypted }) => `${JSON.stringify({ data: Buffer.from(data).toString('base64'), encrypted })}\n`).join('');
    const done = appending.then(async () => {
      await mkdir(path.dirname(journal), { recursive: true });
      await appendFile(journal, text);
    });
    appending = done.catch(() => undefined);
    return done;
  }

  /** Records which Arweave record holds which journal entry (the pair only hashed). */
  async function appendReceipts(records: Array<{ id: string; entry: LogEntry }>): Promise<void> {
    await mkdir(path.dirname(receipts), { recursive: true });
    await appendFile(receipts, records.map(({ id, entry }) => `${JSON.stringify({ id, key: keyOf(entry) })}\n`).join(''));
  }

  function recordTags(entry: LogEntry): Tag[] {
    const stream = deps.privateMode ? { name: 'Log-Stream', value: deps.pseudonym!(entry.process) } : { name: 'Process', value: entry.process };
    return [
      { name: 'App-Name', value: deps.appName },
      { name: 'Type', value: LOG_RECORD_TYPE },
      stream,
      { name: 'Encrypted', value: deps.privateMode ? 'true' : 'false' },
      { name: 'Content-Type', value: 'application/octet-stream' },
    ];
  }

  /** A journal line holds one entry; an Arweave record holds the entries of one process in one batch. */
  function encode(entries: LogEntry | LogEntry[]): Uint8Array {
    const bytes = new TextEncoder().encode(JSON.stringify(entries));
    return deps.privateMode ? deps.cipher!.encrypt(bytes) : bytes;
  }

  function decode(bytes: Uint8Array, encrypted: boolean): LogEntry[] {
    try {
      if (encrypted && !deps.cipher) throw new Error('encrypted record and no cipher');
      const plain = encrypted ? deps.cipher!.decrypt(bytes) : bytes;
      const json: unknown = JSON.parse(new TextDecoder().decode(plain));
      return Array.isArray(json) ? json.map((entry) => entrySchema.parse(entry)) : [entrySchema.parse(json)];
    } catch (error) {
      // A record we cannot open is not ours (or another key's): skip it, do not stop recovery.
      deps.logger.warn(`skipping an unreadable AO log record: ${describeError(error)}`);
      return [];
    }
  }

  /**
   * One record per process per batch: a record's signature (RSA, the log's main cost) and its
   * item overhead (about 1 kB) are paid once for all the entries a process logged meanwhile.
   */
  function recordsOf(batch: LogEntry[]): LogEntry[][] {
    const byProcess = new Map<string, LogEntry[]>();
    for (const entry of batch) {
      const group = byProcess.get(entry.process) ?? [];
      group.push(entry);
      byProcess.set(entry.process, group);
    }
    return [...byProcess.values()];
  }

  async function uploadBatch(): Promise<void> {
    const batch = pending.splice(0, 200);
    if (batch.length === 0) return;
    inFlight = batch.length;
    try {
      const records = recordsOf(batch);
      const items: SignedItem[] = [];
      for (const entries of records) items.push(await deps.arweave.signItem(encode(entries), recordTags(entries[0]!)));
      await deps.arweave.postBundle(items);
      written.push(...items.map((item) => item.id));
      // Receipts let the next start skip reading these records back (they are only a shortcut:
      // lost, the records are read from Arweave as before).
      await appendReceipts(items.flatMap((item, i) => records[i]!.map((entry) => ({ id: item.id, entry })))).catch(() => undefined);
    } catch (error) {
      pending.unshift(...batch);
      deps.logger.warn(`AO log upload failed, will retry: ${describeError(error)}`);
      throw error;
    } finally {
      inFlight = 0;
    }
  }

  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      uploading = uploading.then(uploadBatch).catch(() => {
        if (!closed) setTimeout(schedule, 1000).unref();
      });
    }, deps.uploadDelayMs);
  }

  /** The valid lines of a JSON-lines file (none when it does not exist). */
  async function readLines<T>(file: string, schema: z.ZodType<T>, onDamaged?: () => void): Promise<T[]> {
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return [];
    }
    const out: T[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(schema.parse(JSON.parse(line)));
      } catch {
        onDamaged?.();
      }
    }
    return out;
  }

  /**
   * Records read back from Arweave get a receipt, and join the journal unless it has them (an
   * upload whose receipt was lost), so the next start has them locally. Receipts first: a crash
   * between the two leaves a receipt without its entry, which makes the next start list every
   * record again rather than miss one.
   */
  async function keepLocally(records: Array<{ id: string; entry: LogEntry }>, inJournal: Set<string>): Promise<void> {
    if (records.length === 0) return;
    await appendReceipts(records);
    const missing = records.filter(({ entry }) => !inJournal.has(keyOf(entry)));
    if (missing.length > 0) await appendToJournal(missing.map(({ entry }) => ({ data: encode(entry), encrypted: deps.privateMode })));
  }

  async function readJournal(): Promise<Array<{ data: Uint8Array; encrypted: boolean }>> {
    const lines = await readLines(journal, journalLine, () => deps.logger.warn('skipping a damaged line of the AO node journal'));
    return lines.map((line) => ({ data: new Uint8Array(Buffer.from(line.data, 'base64')), encrypted: line.encrypted }));
  }

  return {
    async history(process, slot) {
      await appending;
      const entries = new Map<number, LogEntry>();
      for (const line of await readJournal()) {
        for (const entry of decode(line.data, line.encrypted)) if (entry.process === process && entry.slot <= slot) entries.set(entry.slot, entry);
      }
      return [...entries.values()].sort((a, b) => a.slot - b.slot);
    },

    async append(entry) {
      await appendToJournal([{ data: encode(entry), encrypted: deps.privateMode }]);
      pending.push(entry);
      schedule();
    },

    async recover() {
      const owner = await deps.arweave.address();
      const filter = { tags: [{ name: 'App-Name', values: [deps.appName] }, { name: 'Type', values: [LOG_RECORD_TYPE] }], owners: [owner] };
      const receiptLines = await readLines(receipts, receiptLine);
      const journalEntries = (await readJournal()).flatMap((line) => decode(line.data, line.encrypted));
      // When every receipt's entry is in the journal, this machine holds the whole log it knows:
      // only records written elsewhere after those can be missing. They are the newest, so pages
      // are read newest first until one holds no record unknown here. Otherwise (a new machine,
      // a lost or damaged journal) every record id is listed and receipts are checked against it.
      const journalKeys = new Set(journalEntries.map((entry) => keyOf(entry)));
      const known = new Set(receiptLines.map((receipt) => receipt.id));
      const localComplete = receiptLines.length > 0 && receiptLines.every((receipt) => journalKeys.has(receipt.key));
      let remote: Awaited<ReturnType<ArweaveClient['queryAll']>>;
      if (localComplete) {
        remote = [];
        for (let after: string | undefined; ; ) {
          const page = await deps.arweave.query({ ...filter, sort: 'HEIGHT_DESC', ...(after === undefined ? {} : { after }) });
          remote.push(...page.items);
          const last = page.items[page.items.length - 1];
          if (!page.hasNextPage || !last || page.items.every((item) => known.has(item.id))) break;
          after = last.cursor;
        }
      } else {
        remote = await deps.arweave.queryAll(filter);
      }
      const onArweave = new Set(remote.map((record) => record.id));
      // Records this machine uploaded are in its journal: only the others are read back. In the
      // full listing, a receipt whose record Arweave does not have is ignored, so that entry is
      // uploaded again.
      const receipted = new Map<string, string>();
      for (const receipt of receiptLines) if (localComplete || onArweave.has(receipt.id)) receipted.set(receipt.id, receipt.key);
      const uploadedKeys = new Set(receipted.values());
      const entries: LogEntry[] = [];
      const fromArweave = new Set<string>();
      const readBack: Array<{ id: string; entry: LogEntry }> = [];
      const seen = new Set<string>();
      const toRead = remote.filter((record) => !seen.has(record.id) && !receipted.has(record.id) && seen.add(record.id));
      // A new machine reads every record back: several at a time, in listing order.
      const datas = await mapLimited(toRead, GATEWAY_READS_AT_ONCE, (record) => deps.arweave.getData(record.id));
      toRead.forEach((record, i) => {
        const data = datas[i] as Uint8Array;
        const encrypted = tagValue(record.tags, 'Encrypted') === 'true';
        for (const entry of decode(data, encrypted)) {
          entries.push(entry);
          fromArweave.add(keyOf(entry));
          readBack.push({ id: record.id, entry });
        }
      });
      // Journal entries are all kept; those that never reached Arweave are uploaded now.
      for (const entry of journalEntries) {
        entries.push(entry);
        const key = keyOf(entry);
        if (!uploadedKeys.has(key) && !fromArweave.has(key)) {
          pending.push(entry);
          uploadedKeys.add(key);
        }
      }
      if (pending.length > 0) schedule();
      await keepLocally(readBack, journalKeys);
      const unique = new Map<string, LogEntry>();
      for (const entry of entries) {
        const key = `${entry.process}:${entry.slot}`;
        if (!unique.has(key)) unique.set(key, entry);
      }
      return [...unique.values()].sort((a, b) => (a.process === b.process ? a.slot - b.slot : a.process < b.process ? -1 : 1));
    },

    waiting: () => pending.length + inFlight,

    async flush(budgetMs?: number) {
      const now = deps.now ?? Date.now;
      const deadline = budgetMs === undefined ? Infinity : now() + budgetMs;
      for (;;) {
        if (timer) {
          clearTimeout(timer);
          timer = undefined;
        }
        const current = uploading;
        await current.catch(() => undefined);
        // A timer that fired meanwhile chained another upload: wait for that one too, or the
        // caller (a stop) would close the gateway under it and leave the record half-written.
        if (uploading !== current) continue;
        if (pending.length === 0 || now() >= deadline) return;
        uploading = uploadBatch();
        await uploading;
      }
    },

    recordIds: () => [...written],

    async close() {
      try {
        // Bounded, like the memory outbox's: a stop after heavy load does not wait for a long
        // backlog (each batch in flight still finishes, so nothing is left half-written).
        await this.flush(deps.closeBudgetMs ?? 15_000);
        if (pending.length > 0) deps.logger.warn(`AO log: ${pending.length} record(s) stay in the journal at stop; the next start uploads them`);
      } catch (error) {
        // The journal keeps what did not reach Arweave; the next start uploads it.
        deps.logger.warn(`AO log: ${pending.length} record(s) not uploaded at stop: ${describeError(error)}`);
      } finally {
        closed = true;
        if (timer) clearTimeout(timer);
      }
    },
  };
}
