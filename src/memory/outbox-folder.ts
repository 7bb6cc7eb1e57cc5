/**
 * The outbox's folder: one `<sequence>-<id>.item` file per signed item, written durably, listed
 * oldest first. Items still being settled by their caller are not sendable yet; a damaged file
 * is set aside in `unreadable/`.
 */
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SignedItem } from '../arweave/client.js';
import { unreadableDir } from '../config/paths.js';
import { writeDurably } from '../fs/durable-file.js';
import type { Logger } from '../logger.js';

export interface OutboxFolder {
  /** Every item file, oldest first. */
  files(): Promise<string[]>;
  /** The item files whose caller has finished with them (see `write`). */
  sendable(): Promise<string[]>;
  itemOf(file: string): Promise<SignedItem>;
  /** Like itemOf, but undefined for a file the drainer deleted after it was listed. */
  itemIfStill(file: string): Promise<SignedItem | undefined>;
  /** Writes the item durably, then runs `settle` before the file becomes sendable. */
  write(item: SignedItem, settle?: () => Promise<void>): Promise<void>;
  remove(files: string[]): Promise<void>;
  setAside(damaged: string[]): Promise<void>;
}

export async function openOutboxFolder(dir: string, logger: Logger): Promise<OutboxFolder> {
  await mkdir(dir, { recursive: true });
  let sequence = Date.now() * 1000;
  // Items added but whose caller has not finished with them yet: not sent until then.
  const settling = new Set<string>();
  const files = async () => (await readdir(dir)).filter((f) => f.endsWith('.item')).sort();
  const itemOf = async (file: string): Promise<SignedItem> => ({
    id: file.slice(file.indexOf('-') + 1, -'.item'.length),
    raw: new Uint8Array(await readFile(path.join(dir, file))),
  });
  return {
    files,
    sendable: async () => (await files()).filter((f) => !settling.has(f)),
    itemOf,
    itemIfStill: (file) =>
      itemOf(file).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }),
    async write(item, settle) {
      sequence += 1;
      const file = `${String(sequence).padStart(20, '0')}-${item.id}.item`;
      settling.add(file);
      try {
        await writeDurably(path.join(dir, file), item.raw);
        await settle?.();
      } finally {
        settling.delete(file);
      }
    },
    async remove(names) {
      await Promise.all(names.map((file) => unlink(path.join(dir, file)).catch(() => undefined)));
    },
    async setAside(damaged) {
      const aside = unreadableDir(dir);
      await mkdir(aside, { recursive: true });
      for (const file of damaged) {
        await rename(path.join(dir, file), path.join(aside, file));
        logger.warn(`memory outbox: ${file} is not a whole data item; moved to ${aside} and skipped`);
      }
    },
  };
}
