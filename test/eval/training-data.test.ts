import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSentimentSet } from '../../src/tools/eval/dataset.js';
import { loadLabelledTsv } from '../../src/tools/eval/labelled-tsv.js';
import { packageRoot } from '../../src/package-root.js';
// @ts-expect-error: a plain .mjs helper of the training script, without types.
import { heldOutLines, normalLine, withoutHeldOut } from '../../scripts/train-sentiment/held-out.mjs';

// The Sentiment model is trained on the Amazon and Yelp sets and on chat lines written for the
// project (scripts/train-sentiment.mjs); IMDB and the project's own set are what the eval
// reports as held out. These checks keep the two sides apart.
const root = packageRoot();
const publicSet = (name: string) => loadLabelledTsv(path.join(root, 'test', 'fixtures', 'eval', 'public', `${name}.tsv`));

describe('sentiment training data and held-out sets', () => {
  it('the public sets are the UCI sets as published: 500 positive and 500 negative lines each', async () => {
    for (const name of ['amazon', 'yelp', 'imdb']) {
      const set = await publicSet(name);
      expect(set.labels, name).toEqual(['positive', 'negative']);
      expect(set.rows.filter((r) => r.label === 'positive').length, name).toBe(500);
      expect(set.rows.filter((r) => r.label === 'negative').length, name).toBe(500);
    }
  });

  it('no training line is also a line of a held-out set: the training script leaves such lines out', async () => {
    const chat = await loadLabelledTsv(path.join(root, 'scripts', 'train-sentiment', 'data', 'chat.tsv'));
    const rows = [...chat.rows, ...(await publicSet('amazon')).rows, ...(await publicSet('yelp')).rows];
    const heldOut = new Set([...(await publicSet('imdb')).rows.map((r) => r.text), ...(await loadSentimentSet()).map((r) => r.text)].map(normalLine));
    const lines = (await heldOutLines(root)) as Set<string>;
    expect(lines).toEqual(heldOut);
    // Short reviews such as "Very disappointing." occur in more than one UCI set.
    expect(rows.filter((r) => heldOut.has(normalLine(r.text))).length).toBeGreaterThan(0);
    expect((withoutHeldOut(rows, lines) as typeof rows).filter((r) => heldOut.has(normalLine(r.text)))).toEqual([]);
    // The chat lines were written apart from the eval set: none of them is dropped.
    expect(withoutHeldOut(chat.rows, lines)).toHaveLength(chat.rows.length);
    expect(chat.rows.length).toBeGreaterThanOrEqual(300);
    expect(chat.labels).toContain('neutral');
  });

  it('no chat training line is a near copy of a line of the own set (under half of their words shared)', async () => {
    const words = (text: string) => new Set(text.toLowerCase().replace(/[^\p{L}\p{N}' ]/gu, ' ').split(/\s+/).filter(Boolean));
    const own = (await loadSentimentSet()).map((r) => words(r.text));
    const chat = await loadLabelledTsv(path.join(root, 'scripts', 'train-sentiment', 'data', 'chat.tsv'));
    const near = chat.rows.filter((row) => {
      const a = words(row.text);
      return own.some((b) => {
        const shared = [...a].filter((w) => b.has(w)).length;
        return shared / (a.size + b.size - shared) >= 0.5;
      });
    });
    expect(near.map((r) => r.text)).toEqual([]);
  });

  it('model.json names its training data and holds one int8 weight per hash slot at most', async () => {
    const model: unknown = JSON.parse(await readFile(path.join(root, 'ao-processes', 'sentiment', 'model.json'), 'utf8'));
    const m = model as { trainedOn: string; hashBits: number; quiet: number; polarity: { weights: Array<[number, number]> }; feeling: { weights: Array<[number, number]> } };
    expect(m.trainedOn).toMatch(/Amazon, Yelp/);
    expect(m.trainedOn).not.toMatch(/imdb/i);
    for (const part of [m.polarity, m.feeling]) {
      const indexes = part.weights.map(([i]) => i);
      expect(new Set(indexes).size).toBe(indexes.length);
      for (const [index, weight] of part.weights) {
        expect(index).toBeLessThan(2 ** m.hashBits);
        expect(Math.abs(weight)).toBeLessThanOrEqual(127);
        expect(weight).not.toBe(0);
      }
    }
  });
});
