/**
 * A durable spool: a folder of files, each written so that it survives a crash, listed in name
 * order (name them time first to list them oldest first) and removed once handled. A file that
 * cannot be read (a torn write, another key) is set aside in the spool's `unreadable/` folder
 * (unreadableDir, ../config/paths.ts): kept for the operator, out of the listing, never
 * handled wrongly and never retried.
 */
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { unreadableDir } from '../config/paths.js';
import { writeDurably } from './durable-file.js';

export interface Spool {
  readonly dir: string;
  /** The names of the spooled files (those ending in the spool's suffix), sorted. */
  list(): Promise<string[]>;
  read(name: string): Promise<Uint8Array>;
  /** Resolves once the file would survive a crash. */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** A file gone already counts as removed. */
  remove(name: string): Promise<void>;
  /** Moves the file into `unreadable/`; resolves with where it went. */
  setAside(name: string): Promise<string>;
}

export async function openSpool(dir: string, suffix: string): Promise<Spool> {
  await mkdir(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    list: async () => (await readdir(dir)).filter((name) => name.endsWith(suffix)).sort(),
    read: async (name) => new Uint8Array(await readFile(file(name))),
    write: (name, bytes) => writeDurably(file(name), bytes),
    async remove(name) {
      await unlink(file(name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
    async setAside(name) {
      const aside = unreadableDir(dir);
      await mkdir(aside, { recursive: true });
      await rename(file(name), path.join(aside, name));
      return aside;
    },
  };
}
