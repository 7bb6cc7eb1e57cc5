// Rules the compiler cannot enforce under "moduleResolution": "Bundler" (needed for
// @elizaos/core's types): Node runs dist/ as ESM, so relative imports must name the .js file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../support/source-files.js';
import { repoRoot } from '../support/tmp-dir.js';

describe('source rules', () => {
  it('relative imports in src/ and plugins/ end in .js', async () => {
    const files = [...(await sourceFiles(path.join(repoRoot, 'src'))), ...(await sourceFiles(path.join(repoRoot, 'plugins')))];
    const offending: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        if (!match[1]?.endsWith('.js') && !match[1]?.endsWith('.json')) offending.push(`${path.relative(repoRoot, file)}: ${match[1]}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('no explicit any in src/ and plugins/', async () => {
    const files = [...(await sourceFiles(path.join(repoRoot, 'src'))), ...(await sourceFiles(path.join(repoRoot, 'plugins')))];
    const offending: string[] = [];
    for (const file of files) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, index) => {
        if (/(:\s*any\b|<any>|as any\b|any\[\])/.test(line)) offending.push(`${path.relative(repoRoot, file)}:${index + 1}`);
      });
    }
    expect(offending).toEqual([]);
  });

  it('tests read nothing outside the repository (a clone has nothing beside it)', async () => {
    const files = await sourceFiles(path.join(repoRoot, 'test'));
    const offending: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (/'\.\.', 'shared'|\.\.\/shared\//.test(text)) offending.push(path.relative(repoRoot, file));
    }
    expect(offending).toEqual([]);
  });
});
