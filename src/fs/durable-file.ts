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
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
