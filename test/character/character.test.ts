import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharacterFiles } from '../../src/character/check.js';
import { CharacterFileError, loadCharacterFile, parseCharacter } from '../../src/character/load.js';
import { loadCharacterSet } from '../../src/character/character-set.js';
import { pluginExists } from '../../src/plugin-host/load-plugins.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

const compat = path.join(repoRoot, 'test', 'fixtures', 'elizaos-characters');
const deps = { pluginExists };
const shipped = ['eliza.json', 'captain-mara.json', 'marlowe.json'].map((f) => path.join(repoRoot, 'characters', f));

describe('elizaOS character files written by others', () => {
  it('loads the newest format (examples groups, {{name}} placeholders)', async () => {
    const character = await loadCharacterFile(path.join(compat, 'eliza-default-8-16.json'), deps);
    expect(character.name).toBe('Eliza');
    expect(character.bio.length).toBeGreaterThan(3);
    expect(character.messageExamples.length).toBeGreaterThan(0);
    expect(character.messageExamples[0]?.[0]?.text.length).toBeGreaterThan(0);
    expect(character.notices.join(' ')).toMatch(/examples/);
  });

  it('migrates the earliest format with notices and reports its plugin as not installed', async () => {
    const file = path.join(compat, 'chatdkg.character.json');
    const character = await loadCharacterFile(file, { ...deps, allowMissingPlugins: true });
    expect(character.name).toBe('ChatDKG');
    const notices = character.notices.join('\n');
    expect(notices).toMatch(/lore .* folded into bio/);
    expect(notices).toMatch(/clients .* ignored/);
    expect(notices).toMatch(/modelProvider "anthropic" ignored/);
    expect(notices).toMatch(/settings\.secrets moved to secrets/);
    expect(notices).toMatch(/"user" renamed to "name"/);
    expect(notices).toMatch(/plugin "@elizaos\/plugin-dkg" is not installed/);
    expect(character.bio.some((line) => line.includes('OriginTrail'))).toBe(true);
    expect(Object.keys(character.secrets)).toContain('ANTHROPIC_API_KEY');

    const result = await checkCharacterFiles([file], deps);
    expect(result.ok).toBe(false);
    expect(result.lines).toEqual([`${file}: plugins[0]: plugin "@elizaos/plugin-dkg" is not installed (add plugins/@elizaos/plugin-dkg/ or install the npm package, or remove it)`]);
  });
});

describe('permachat check', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  const write = async (name: string, content: string) => {
    const file = path.join(tmp.dir, name);
    await writeFile(file, content);
    return file;
  };
  beforeAll(async () => {
    tmp = await makeTmpDir('characters');
  });
  afterAll(async () => tmp?.remove());

  it('passes every shipped character', async () => {
    const result = await checkCharacterFiles(shipped, deps);
    expect(result.ok).toBe(true);
    expect(result.lines.every((line) => /: ok \(/.test(line))).toBe(true);
    expect(result.lines.find((line) => line.includes('captain-mara.json'))).toMatch(/: ok \(Captain Mara, 5 knowledge passages\)/);
  });

  it('reports bad JSON with line and column', async () => {
    const file = await write('bad.json', '{\n  "name": "X",\n  "bio": [}\n');
    const result = await checkCharacterFiles([file], deps);
    expect(result.ok).toBe(false);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(file\\): invalid JSON at line 3, column \\d+`));
  });

  it('reports wrong types, missing name and unknown plugins by field path', async () => {
    const file = await write('wrong.json', JSON.stringify({ bio: 42, adjectives: ['ok', 7], messageExamples: [[{ name: 'a', content: { text: 5 } }]], plugins: ['no-such-plugin'] }));
    const { ok, lines } = await checkCharacterFiles([file], deps);
    expect(ok).toBe(false);
    const byPath = lines.map((line) => line.slice(file.length + 2));
    expect(byPath).toEqual(expect.arrayContaining([
      expect.stringMatching(/^name: /),
      expect.stringMatching(/^bio: /),
      expect.stringMatching(/^adjectives\[1\]: /),
      expect.stringMatching(/^messageExamples\[0\]\[0\]\.content\.text: /),
      expect.stringMatching(/^plugins\[0\]: plugin "no-such-plugin" is not installed/),
    ]));
  });

  it('reports an unreadable file and a non-object, and checks several files at once', async () => {
    const good = shipped[0] as string;
    const missing = path.join(tmp.dir, 'missing.json');
    const array = await write('array.json', '[1,2]');
    const { ok, lines } = await checkCharacterFiles([good, missing, array], deps);
    expect(ok).toBe(false);
    expect(lines[0]).toMatch(/: ok \(Eliza\)/);
    expect(lines[1]).toBe(`${missing}: (file): cannot read the file (ENOENT)`);
    expect(lines[2]).toBe(`${array}: (root): a character file must hold one JSON object`);
  });

  it('rejects a bad widget colour and an empty name', () => {
    const error = (() => {
      try {
        parseCharacter(JSON.stringify({ name: ' ', bio: 'x', settings: { widget: { color: 'blue' } } }), 'inline', deps);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CharacterFileError);
    expect((error as CharacterFileError).problems.map((p) => p.path)).toEqual(['name', 'settings.widget.color']);
  });
});

describe('character set', () => {
  it('finds characters by name or file stem, defaults to eliza, and lists the choices when unknown', async () => {
    const set = await loadCharacterSet({ charactersDir: 'characters', cwd: repoRoot, deps, warn: () => undefined });
    expect(set.default.name).toBe('Eliza');
    expect(set.get('captain mara').name).toBe('Captain Mara');
    expect(set.get('marlowe').color).toBe('#2f2a26');
    expect(() => set.get('nobody')).toThrow(/unknown character "nobody"/);
    const fromPath = await loadCharacterSet({ charactersDir: 'characters', cwd: repoRoot, defaultCharacter: path.join(compat, 'eliza-default-8-16.json'), deps, warn: () => undefined });
    expect(fromPath.default.source).toContain('eliza-default-8-16.json');
    await expect(loadCharacterSet({ charactersDir: 'characters', cwd: repoRoot, defaultCharacter: 'ghost', deps, warn: () => undefined }))
      .rejects.toThrow(/no character named "ghost"/);
  });
});
