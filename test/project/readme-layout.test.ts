// The README's layout section is the map a newcomer reads first: it must name every folder at
// the top and in src/, and nothing that is not there, or it drifts silently as folders move.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tmp-dir.js';

/** The paths named first on each list item of the README's "### Layout" section, without a trailing slash. */
function layoutPaths(readme: string): string[] {
  const start = readme.search(/^### Layout$/m);
  if (start < 0) throw new Error('README.md has no "### Layout" section: add one listing the folders');
  const rest = readme.slice(start + '### Layout'.length);
  const end = rest.search(/^#{1,3} /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^\s*- `([^`]+)`/gm)].map((match) => (match[1] ?? '').replace(/\/$/, ''));
}

/** Top-level folders .gitignore names (build outputs, local state): not part of the tree. */
async function ignoredTopLevel(): Promise<Set<string>> {
  const lines = (await readFile(path.join(repoRoot, '.gitignore'), 'utf8')).split('\n').map((line) => line.trim());
  const names = lines.filter((line) => line && !line.startsWith('#')).map((line) => line.replace(/^\//, '').replace(/\/$/, ''));
  return new Set(['.git', ...names.filter((name) => !name.includes('/'))]);
}

async function folders(dir: string, skip: Set<string> = new Set()): Promise<string[]> {
  const entries = await readdir(path.join(repoRoot, dir), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory() && !skip.has(entry.name)).map((entry) => path.posix.join(dir, entry.name));
}

describe('README layout section', () => {
  it('reads the paths of the list items only', () => {
    const readme = '# x\n\n### Layout\n\nSee `build/`.\n\n- `src/` — code\n  - `src/ao/` — AO, see `node/`\n\n## Next\n\n- `elsewhere/` — not in it\n';
    expect(layoutPaths(readme)).toEqual(['src', 'src/ao']);
    expect(() => layoutPaths('# no layout here')).toThrow(/Layout/);
  });

  it('names only paths that exist', async () => {
    const named = layoutPaths(await readFile(path.join(repoRoot, 'README.md'), 'utf8'));
    expect(named.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const name of named) {
      const found = await stat(path.join(repoRoot, name)).catch(() => undefined);
      if (!found) missing.push(name);
    }
    expect(missing, 'README.md layout names paths that do not exist: fix or remove those lines').toEqual([]);
  });

  it('names every folder at the top and in src/', async () => {
    const named = new Set(layoutPaths(await readFile(path.join(repoRoot, 'README.md'), 'utf8')));
    const present = [...(await folders('.', await ignoredTopLevel())).map((dir) => dir.replace(/^\.\//, '')), ...(await folders('src'))];
    expect(
      present.filter((dir) => !named.has(dir)),
      'folders missing from the README layout section: add a line for each',
    ).toEqual([]);
  });
});
