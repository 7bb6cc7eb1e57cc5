/**
 * The message log's local files in `<dataDir>/ao-node/`: the journal (`log.jsonl`, one encoded
 * entry per line: what makes an entry durable at once) and the upload receipts
 * (`uploaded.jsonl`: which Arweave record holds which (process, slot), the pair only hashed).
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { aoNodePaths } from '../../config/paths.js';
import type { Logger } from '../../logger.js';
import type { LogEntry } from './types.js';

/** A journal line: the entry's payload (ciphertext in private mode), nothing in the clear. */
const journalLine = z.object({ data: z.string(), encrypted: z.boolean() });
const receiptLine = z.object({ id: z.string(), key: z.string() });

export interface JournalLine {
  data: Uint8Array;
  encrypted: boolean;
}

export type Receipt = z.infer<typeof receiptLine>;

/** The hashed (process, slot) a receipt names. */
export const keyOf = (entry: LogEntry) => createHash('sha256').update(`${entry.process}:${entry.slot}`).digest('base64url').slice(0, 22);

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

export function createLogJournal(deps: { dataDir: string; logger: Logger }) {
  const { journal, receipts } = aoNodePaths(deps.dataDir);
  let appending: Promise<void> = Promise.resolve();
  return {
    /**
     * Appends journal lines, one write at a time in call order: a later slot is never durable
     * before an earlier one, so a crash cannot leave a gap in a process's slots.
     */
    append(lines: JournalLine[]): Promise<void> {
      const text = lines.map(({ data, encrypted }) => `${JSON.stringify({ data: Buffer.from(data).toString('base64'), encrypted })}\n`).join('');
      const done = appending.then(async () => {
        await mkdir(path.dirname(journal), { recursive: true });
        await appendFile(journal, text);
      });
      appending = done.catch(() => undefined);
      return done;
    },
    /** Every line, once the appends already called are written. */
    async read(): Promise<JournalLine[]> {
      await appending;
      const lines = await readLines(journal, journalLine, () => deps.logger.warn('skipping a damaged line of the AO node journal'));
      return lines.map((line) => ({ data: new Uint8Array(Buffer.from(line.data, 'base64')), encrypted: line.encrypted }));
    },
    async appendReceipts(records: Array<{ id: string; entry: LogEntry }>): Promise<void> {
      await mkdir(path.dirname(receipts), { recursive: true });
      await appendFile(receipts, records.map(({ id, entry }) => `${JSON.stringify({ id, key: keyOf(entry) })}\n`).join(''));
    },
    readReceipts: (): Promise<Receipt[]> => readLines(receipts, receiptLine),
  };
}

export type LogJournal = ReturnType<typeof createLogJournal>;
