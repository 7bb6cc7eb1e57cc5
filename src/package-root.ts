/** The folder holding permachat's package.json, whether running from src/ (tests) or dist/src/. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('permachat: cannot find the package root (no package.json above the code)');
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** True when running TypeScript sources directly (vitest), false when running compiled dist/. */
export function runningFromSource(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.ts');
}
