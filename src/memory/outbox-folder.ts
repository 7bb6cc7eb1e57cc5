/**
 * The outbox's folder: one `<sequence>-<id>.item` file per signed item in a durable spool
 * (../fs/spool.ts), listed oldest first. Items still being settled by their caller are not
 * sendable yet; a damaged file is set aside in `unreadable/`.
 */
import type { SignedItem } from '../arweave/client.js';
import { openSpool } from '../fs/spool.js';
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
  const spool = await openSpool(dir, '.item');
  let sequence = Date.now() * 1000;
  // Items added but whose caller has not finished with them yet: not sent until then.
  const settling = new Set<string>();
  const files = spool.list;
  const itemOf = async (file: string): Promise<SignedItem> => ({
    id: file.slice(file.indexOf('-') + 1, -'.item'.length),
    raw: await spool.read(file),
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
        await spool.write(file, item.raw);
        await settle?.();
      } finally {
        settling.delete(file);
      }
    },
    async remove(names) {
      await Promise.all(names.map((file) => spool.remove(file).catch(() => undefined)));
    },
    async setAside(damaged) {
      for (const file of damaged) {
        const aside = await spool.setAside(file);
        logger.warn(`memory outbox: ${file} is not a whole data item; moved to ${aside} and skipped`);
      }
    },
  };
}
