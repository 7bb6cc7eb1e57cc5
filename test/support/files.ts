/** Every file below a folder (none when it does not exist). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat();
}
