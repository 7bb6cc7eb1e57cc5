// Structure the compiler does not enforce: no import cycles between files, no product module
// that depends on the developer tools in src/tools/, and no function in src/ longer than 80
// lines (a long closure holds steps that cannot be tested or read alone).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../support/source-files.js';
import { repoRoot } from '../support/tmp-dir.js';

const MAX_LINES = 80;
/** Functions still over the limit, to be split; none may be added. */
const TOO_LONG_FOR_NOW = new Set<string>([
]);

/** Every relative import (types too) of each file, resolved to a file path. */
async function importGraph(files: string[]): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((match) => path.resolve(path.dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts')));
    graph.set(file, targets.filter((target) => files.includes(target)));
  }
  return graph;
}

/** Files that reach themselves through their imports, as "a -> b -> a". */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    trail.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...trail.slice(trail.indexOf(next)), next].map((f) => path.relative(repoRoot, f)).join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    trail.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

function longFunctions(file: string, text: string): Array<{ key: string; lines: number }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Array<{ key: string; lines: number }> = [];
  const visit = (node: ts.Node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) && node.body) {
      const lines = source.getLineAndCharacterOfPosition(node.end).line - source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const name = node.name?.getText(source) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)');
      if (lines > MAX_LINES) found.push({ key: `${path.relative(repoRoot, file)}:${name}`, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('source structure', () => {
  it('has no import cycle between files in src/', async () => {
    expect(cycles(await importGraph(await sourceFiles(path.join(repoRoot, 'src'))))).toEqual([]);
  });

  it('keeps the product free of the developer tools (src/tools/ is reached only from src/cli/)', async () => {
    const src = path.join(repoRoot, 'src');
    const tools = path.join(src, 'tools') + path.sep;
    const product = (file: string) => !file.startsWith(tools) && !file.startsWith(path.join(src, 'cli') + path.sep);
    const offending: string[] = [];
    for (const [file, targets] of await importGraph(await sourceFiles(src))) {
      if (!product(file)) continue;
      const dynamic = [...(await readFile(file, 'utf8')).matchAll(/import\(\s*'(\.{1,2}\/[^']+)'/g)].map((match) => path.resolve(path.dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts')));
      for (const target of [...targets, ...dynamic]) if (target.startsWith(tools)) offending.push(`${path.relative(repoRoot, file)} -> ${path.relative(repoRoot, target)}`);
    }
    expect(offending, 'product code must not depend on src/tools/: move what both need out of src/tools/').toEqual([]);
  });

  it(`has no function over ${MAX_LINES} lines in src/ beyond the shrinking allow-list`, async () => {
    const found: Array<{ key: string; lines: number }> = [];
    for (const file of await sourceFiles(path.join(repoRoot, 'src'))) found.push(...longFunctions(file, await readFile(file, 'utf8')));
    expect(found.filter(({ key }) => !TOO_LONG_FOR_NOW.has(key)).map(({ key, lines }) => `${key} (${lines} lines)`)).toEqual([]);
    // An entry whose function was split must leave the list.
    expect([...TOO_LONG_FOR_NOW].filter((key) => !found.some((f) => f.key === key))).toEqual([]);
  });
});
