/**
 * The local cache of a user's records: the same sealed bytes as on Arweave, one JSON line per
 * record, in DATA_DIR/memory/cache/<pseudonym>.jsonl. Losable: when a user's file is missing,
 * their records are read back from Arweave (GraphQL by the User tag, then the data). Beside it,
 * <pseudonym>.covered lists the ids already in a snapshot segment (see snapshots.ts): losable too,
 * at worst a segment is written again.
 */
import { access, appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fsyncPath, writeDurably } from '../fs/durable-file.js';

export interface CachedRecord {
  id: string;
  sealed: Uint8Array;
}

export interface RecordCache {
  /** undefined when this machine has no cache for the user (cold). */
  read(pseudonym: string): Promise<CachedRecord[] | undefined>;
  /** Whether this machine has a cache for the user, without reading it. */
  has(pseudonym: string): Promise<boolean>;
  append(pseudonym: string, records: CachedRecord[]): Promise<void>;
  replace(pseudonym: string, records: CachedRecord[]): Promise<void>;
  /** The ids of the user's records already in a snapshot segment (empty when unknown). */
  readCovered(pseudonym: string): Promise<Set<string>>;
  addCovered(pseudonym: string, ids: readonly string[]): Promise<void>;
  replaceCovered(pseudonym: string, ids: Iterable<string>): Promise<void>;
  /** Makes what was appended for these users survive a power loss (appends alone are not fsynced). */
  sync(pseudonyms: Iterable<string>): Promise<void>;
}

const line = (record: CachedRecord) => `${JSON.stringify({ id: record.id, sealed: Buffer.from(record.sealed).toString('base64') })}\n`;

export async function createRecordCache(dir: string): Promise<RecordCache> {
  await mkdir(dir, { recursive: true });
  const file = (pseudonym: string) => path.join(dir, `${pseudonym}.jsonl`);
  const coveredFile = (pseudonym: string) => path.join(dir, `${pseudonym}.covered`);
  const idLines = (ids: Iterable<string>) => [...ids].map((id) => `${id}\n`).join('');
  return {
    async read(pseudonym) {
      let text: string;
      try {
        text = await readFile(file(pseudonym), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const lines = text.split('\n');
      // A last line without its newline was torn by a crash. Its record is still in the outbox
      // (a cache line is written before its item may be sent); the fragment goes, or the next
      // append would run on from it and spoil that line too.
      const torn = lines.pop();
      if (torn) await writeDurably(file(pseudonym), Buffer.from(text.slice(0, text.length - torn.length)));
      return lines.filter(Boolean).flatMap((row) => {
        try {
          const parsed = JSON.parse(row) as { id: string; sealed: string };
          return [{ id: parsed.id, sealed: new Uint8Array(Buffer.from(parsed.sealed, 'base64')) }];
        } catch {
          return []; // a line damaged some other way: the record is still on Arweave (memory rebuild)
        }
      });
    },
    async has(pseudonym) {
      try {
        await access(file(pseudonym));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
    async append(pseudonym, records) {
      await appendFile(file(pseudonym), records.map(line).join(''));
    },
    async readCovered(pseudonym) {
      try {
        // A line torn by a crash is a wrong id that matches nothing: harmless.
        return new Set((await readFile(coveredFile(pseudonym), 'utf8')).split('\n').filter(Boolean));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
        throw error;
      }
    },
    addCovered: (pseudonym, ids) => appendFile(coveredFile(pseudonym), idLines(ids)),
    replaceCovered: (pseudonym, ids) => writeDurably(coveredFile(pseudonym), Buffer.from(idLines(ids))),
    // Whole or not at all: a cache cut short by a crash would hide records that are only on Arweave.
    replace: (pseudonym, records) => writeDurably(file(pseudonym), Buffer.from(records.map(line).join(''))),
    async sync(pseudonyms) {
      await Promise.all(
        [...pseudonyms].map((pseudonym) =>
          // A cache deleted by hand meanwhile has nothing to sync (it is rebuilt from Arweave).
          fsyncPath(file(pseudonym)).catch((error: unknown) => {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          }),
        ),
      );
      // No folder fsync: a file created by an append (a new user's first record, or after a hand
      // deletion) and lost with a power loss leaves the user cold, and a cold user is read back
      // from Arweave, which holds everything the outbox has deleted.
    },
  };
}
