// One declaration of each type: two interfaces with one name in src/ are either the same
// shape written twice (which drift apart) or two meanings behind one word.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../support/source-files.js';
import { repoRoot } from '../support/tmp-dir.js';

// Exported ones: a file's private helper types are its own business.
const DECLARATION = /^export\s+(?:declare\s+)?(?:interface|type|class|enum)\s+([A-Za-z_$][\w$]*)/gm;

describe('declarations', () => {
  it('declares each exported type, interface, class and enum name once in src/', async () => {
    const where = new Map<string, string[]>();
    for (const file of await sourceFiles(path.join(repoRoot, 'src'))) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(DECLARATION)) {
        const name = match[1] as string;
        where.set(name, [...(where.get(name) ?? []), path.relative(repoRoot, file)]);
      }
    }
    const repeated = [...where].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(where.size).toBeGreaterThan(50);
    expect(repeated).toEqual([]);
  });
});
