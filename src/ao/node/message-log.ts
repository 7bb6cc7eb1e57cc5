/**
 * The node's message log. A local journal (log-journal.ts) makes an entry durable at once; the
 * uploader (log-uploader.ts) takes entries to Arweave in batches, one record per process per
 * batch (log-codec.ts: encrypted in private mode, tagged only with a keyed pseudonym of the
 * process), off the path that acknowledges. Upload receipts say which journal entries Arweave
 * holds; records read back from Arweave (written by another machine, or before this journal)
 * join the journal (log-recovery.ts), so that a restart reads only what is newer than all it knows.
 */
import type { ArweaveClient } from '../../arweave/client.js';
import type { Cipher } from '../../cipher.js';
import { InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { createLogCodec } from './log-codec.js';
import { createLogJournal } from './log-journal.js';
import { recoverLog } from './log-recovery.js';
import { createLogUploader } from './log-uploader.js';
import type { LogEntry } from './types.js';

export { LOG_RECORD_TYPE } from './log-codec.js';

export interface MessageLog {
  /** Durable in the local journal when it resolves; reaches Arweave with the next batch. */
  append(entry: LogEntry): Promise<void>;
  /** Every recorded entry (Arweave ∪ journal), one per (process, slot), sorted by process then slot. */
  recover(): Promise<LogEntry[]>;
  /** Entries in the local journal not yet on Arweave (queued or being uploaded). */
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
  const codec = createLogCodec(deps);
  const journal = createLogJournal(deps);
  const uploader = createLogUploader({ arweave: deps.arweave, codec, journal, logger: deps.logger, uploadDelayMs: deps.uploadDelayMs, now: deps.now ?? Date.now });
  return {
    async append(entry) {
      await journal.append([{ data: codec.encode(entry), encrypted: codec.encrypts }]);
      uploader.push(entry);
    },
    recover: () => recoverLog({ arweave: deps.arweave, codec, journal, upload: (...entries) => uploader.push(...entries) }),
    async history(process, slot) {
      const entries = new Map<number, LogEntry>();
      for (const line of await journal.read()) {
        for (const entry of codec.decode(line.data, line.encrypted)) if (entry.process === process && entry.slot <= slot) entries.set(entry.slot, entry);
      }
      return [...entries.values()].sort((a, b) => a.slot - b.slot);
    },
    waiting: () => uploader.waiting(),
    flush: (budgetMs) => uploader.flush(budgetMs),
    recordIds: () => uploader.recordIds(),
    close: () => uploader.close(deps.closeBudgetMs ?? 15_000),
  };
}
