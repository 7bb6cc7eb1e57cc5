/** Per-test scratch folders under test/.tmp (gitignored), removed by the caller. */
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function makeTmpDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const parent = path.join(repoRoot, 'test', '.tmp');
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, `${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
