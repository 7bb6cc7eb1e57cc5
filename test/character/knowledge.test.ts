// A character's knowledge (strings, files, folders) becomes passages, and a message brings the
// passages it is about into the prompt.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleFor } from '../../src/app/character-registry.js';
import { PASSAGE_CHARS, toPassages } from '../../src/character/knowledge.js';
import { CharacterFileError, loadCharacterFile } from '../../src/character/load.js';
import { buildPrompt } from '../../src/prompt/build-prompt.js';
import { pluginExists } from '../../src/plugin-host/load-plugins.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

const deps = { pluginExists, allowMissingPlugins: true };
const compat = path.join(repoRoot, 'test', 'fixtures', 'elizaos-characters');

describe('character knowledge', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('knowledge');
  });
  afterAll(async () => tmp?.remove());

  it('cuts text into passages: headings stay with their paragraph, long paragraphs split between sentences', () => {
    const sentence = 'The keeper climbed the one hundred and twelve steps every evening at dusk. ';
    const text = `# Skerry Point\n\nThe lighthouse was lit in 1902.\n\nIt stands on granite.\n\n${sentence.repeat(20)}\n\n## Keepers\n\nThree families kept it.`;
    const passages = toPassages(text);
    expect(passages[0]).toBe('Skerry Point: The lighthouse was lit in 1902.\n\nIt stands on granite.');
    expect(passages.at(-1)).toBe('Keepers: Three families kept it.');
    for (const passage of passages) expect(passage.length).toBeLessThanOrEqual(PASSAGE_CHARS);
    // The long paragraph is cut only at sentence ends, and nothing is lost.
    const middle = passages.slice(1, -1);
    expect(middle.length).toBeGreaterThan(1);
    for (const passage of middle) expect(passage.endsWith('dusk.')).toBe(true);
    expect(middle.join(' ').split('dusk.').length - 1).toBe(20);
    expect(toPassages('x'.repeat(1500)).map((p) => p.length)).toEqual([PASSAGE_CHARS, PASSAGE_CHARS, 100]);
  });

  it('reads knowledge strings, files and folders relative to the character file, and finds what a message is about', async () => {
    const dir = path.join(tmp.dir, 'keeper');
    await mkdir(path.join(dir, 'kb', 'history'), { recursive: true });
    await writeFile(path.join(dir, 'tides.md'), '# Tides\n\nSpring tides at Skerry Point reach 5.2 metres.');
    await writeFile(path.join(dir, 'kb', 'history', 'wreck.txt'), 'The schooner Margit ran aground on the reef in 1887, which is why the light was built.');
    await writeFile(path.join(dir, 'kb', 'lamp.md'), 'The lamp is a second-order Fresnel lens, turned by clockwork.');
    await writeFile(path.join(dir, 'kb', 'photo.png'), 'not text');
    const file = path.join(dir, 'keeper.json');
    await writeFile(file, JSON.stringify({
      name: 'Keeper', bio: ['{{name}} keeps the Skerry Point light.'],
      knowledge: ['{{name}} has kept the light for thirty years.', { path: 'tides.md' }, { directory: 'kb', shared: false }],
    }));
    const character = await loadCharacterFile(file, deps);
    expect(character.knowledge).toEqual([
      '{{name}} has kept the light for thirty years.',
      'Tides: Spring tides at Skerry Point reach 5.2 metres.',
      'The schooner Margit ran aground on the reef in 1887, which is why the light was built.',
      'The lamp is a second-order Fresnel lens, turned by clockwork.',
    ]);

    const handle = handleFor(character);
    expect(handle.knowledge('how high do the tides get?')[0]).toMatch(/5\.2 metres/);
    expect(handle.knowledge('why was the light built? a shipwreck?')[0]).toMatch(/Margit/);
    expect(handle.knowledge('how long have you kept the light')[0]).toBe('Keeper has kept the light for thirty years.');
    expect(handle.knowledge('do you like jazz')).toEqual([]);
    // The passages are this turn's notes, just before the message.
    const notes = handle.prompt({ userText: 'what lens does the lamp use?', recent: [], recalled: [], facts: [], plan: undefined, context: [], knowledge: handle.knowledge('what lens does the lamp use?'), seed: 's' }).at(-2)?.content ?? '';
    expect(notes).toContain('# What Keeper knows (use it when it helps answer)\n- The lamp is a second-order Fresnel lens');
  });

  it('names the knowledge item it cannot read and says paths are relative to the character file', async () => {
    const file = path.join(tmp.dir, 'broken.json');
    await writeFile(file, JSON.stringify({ name: 'Broken', bio: ['x'], knowledge: ['fine', { path: 'missing.md' }, { directory: 'nowhere' }] }));
    const error = await loadCharacterFile(file, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CharacterFileError);
    const problems = (error as CharacterFileError).problems;
    expect(problems.map((p) => p.path)).toEqual(['knowledge[1].path', 'knowledge[2].directory']);
    expect(problems[0]?.problem).toMatch(/cannot read .*missing\.md \(ENOENT\); paths are relative to the character file/);
  });

  it('refuses knowledge outside the character file\'s folder: a parent path, an absolute path, a link out', async () => {
    const outside = path.join(tmp.dir, 'secrets.md');
    await writeFile(outside, 'TELEGRAM_BOT_TOKEN=123:do-not-leak');
    const dir = path.join(tmp.dir, 'sly');
    await mkdir(dir, { recursive: true });
    await symlink(outside, path.join(dir, 'notes.md'));
    const file = path.join(dir, 'sly.json');
    await writeFile(file, JSON.stringify({ name: 'Sly', bio: ['x'], knowledge: [{ path: '../secrets.md' }, { path: outside }, { path: 'notes.md' }, { directory: '..' }] }));
    const error = await loadCharacterFile(file, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CharacterFileError);
    const problems = (error as CharacterFileError).problems;
    expect(problems.map((p) => p.path)).toEqual(['knowledge[0].path', 'knowledge[1].path', 'knowledge[2].path', 'knowledge[3].directory']);
    for (const problem of problems) expect(problem.problem).toMatch(/is outside the character's folder .*; put knowledge files under it/);
    expect(JSON.stringify(problems)).not.toContain('do-not-leak');
  });

  it('uses the knowledge of an elizaOS character written by others', async () => {
    const character = await loadCharacterFile(path.join(compat, 'chatdkg.character.json'), deps);
    const found = handleFor(character).knowledge('What does DKG stand for?');
    expect(found[0]).toBe('Understanding that DKG always stands for Decentralized Knowledge Graph.');
  });

  it('keeps one knowledge passage when the prompt must shrink, after dropping recalled turns', () => {
    const character = { name: 'K', bio: [], topics: [], adjectives: [], knowledge: [], style: { all: [], chat: [], post: [] }, messageExamples: [], postExamples: [], plugins: [], settings: {}, secrets: {}, source: 'test', notices: [] };
    const knowledge = ['first passage '.repeat(30), 'second passage '.repeat(30)];
    const recalled = ['an old turn '.repeat(30)];
    const notes = buildPrompt({ character, userText: 'hi', recent: [], recalled, facts: [], knowledge, seed: 's', maxChars: 800 }).at(-2)?.content ?? '';
    expect(notes).toContain('first passage');
    expect(notes).not.toContain('second passage');
    expect(notes).not.toContain('an old turn');
  });
});

describe('shipped knowledge', () => {
  it('Captain Mara knows the rules of the road and what to do when someone falls overboard', async () => {
    const character = await loadCharacterFile(path.join(repoRoot, 'characters', 'captain-mara.json'), deps);
    const mara = handleFor(character);
    expect(mara.knowledge('two sailing boats meet: who gives way, port or starboard tack?')[0]).toMatch(/^Rules of the road: /);
    expect(mara.knowledge('my friend fell overboard, what do I do?')[0]).toMatch(/^Man overboard: /);
    expect(mara.knowledge('which knot makes a loop that will not slip?')[0]).toMatch(/^Knots: /);
  });
});
