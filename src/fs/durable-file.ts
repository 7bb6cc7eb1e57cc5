/** Files that survive a crash or power loss once written: what the outbox and inboxes stand on. */
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

/** Writes the bytes to a temporary file, fsyncs it, renames it into place and fsyncs the folder. */
export async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  // The rename itself must survive a crash too.
  await fsyncPath(path.dirname(file));
}

/** Flushes a file's (or a folder's) contents to the disk. */
export async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
