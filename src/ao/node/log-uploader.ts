/**
 * The message log's way to Arweave: entries wait in the journal (already durable) and go up in
 * batches, one signed record per process per batch (log-codec.ts), one bundle per batch, off the
 * path that acknowledges. A failed batch is retried; a stop uploads within a budget.
 */
import type { ArweaveClient, SignedItem } from '../../arweave/client.js';
import { describeError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { recordsOf, type LogCodec } from './log-codec.js';
import type { LogJournal } from './log-journal.js';
import type { LogEntry } from './types.js';

const BATCH = 200;

export interface LogUploaderDeps {
  arweave: ArweaveClient;
  codec: LogCodec;
  journal: LogJournal;
  logger: Logger;
  uploadDelayMs: number;
  now: () => number;
}

/** Signs one record per process of the batch and posts them as one bundle; returns the record ids. */
async function uploadRecords(deps: LogUploaderDeps, batch: LogEntry[]): Promise<string[]> {
  const records = recordsOf(batch);
  const items: SignedItem[] = [];
  for (const entries of records) items.push(await deps.arweave.signItem(deps.codec.encode(entries), deps.codec.recordTags(entries[0]!.process)));
  await deps.arweave.postBundle(items);
  // Receipts let the next start skip reading these records back (they are only a shortcut:
  // lost, the records are read from Arweave as before).
  await deps.journal.appendReceipts(items.flatMap((item, i) => records[i]!.map((entry) => ({ id: item.id, entry })))).catch(() => undefined);
  return items.map((item) => item.id);
}

export function createLogUploader(deps: LogUploaderDeps) {
  /** Entries in the journal not yet on Arweave, in append order. */
  const pending: LogEntry[] = [];
  const written: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let uploading: Promise<void> = Promise.resolve();
  /** Entries of the batch being uploaded (out of `pending` until it succeeds or fails). */
  let inFlight = 0;
  let closed = false;

  async function uploadBatch(): Promise<void> {
    const batch = pending.splice(0, BATCH);
    if (batch.length === 0) return;
    inFlight = batch.length;
    try {
      written.push(...(await uploadRecords(deps, batch)));
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

  /** Uploads everything pending now (within `budgetMs` when given: a batch already started finishes). */
  async function flush(budgetMs?: number): Promise<void> {
    const deadline = budgetMs === undefined ? Infinity : deps.now() + budgetMs;
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
      if (pending.length === 0 || deps.now() >= deadline) return;
      uploading = uploadBatch();
      await uploading;
    }
  }

  return {
    /** Queues entries (already in the journal) for the next batch. */
    push(...entries: LogEntry[]): void {
      if (entries.length === 0) return;
      pending.push(...entries);
      schedule();
    },
    waiting: () => pending.length + inFlight,
    recordIds: () => [...written],
    flush,
    async close(budgetMs: number): Promise<void> {
      try {
        // Bounded, like the memory outbox's: a stop after heavy load does not wait for a long
        // backlog (each batch in flight still finishes, so nothing is left half-written).
        await flush(budgetMs);
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

export type LogUploader = ReturnType<typeof createLogUploader>;
