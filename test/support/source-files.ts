/** The TypeScript files below a folder, recursively (for the project's source-rule tests). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    }),
  );
  return nested.flat();
}
