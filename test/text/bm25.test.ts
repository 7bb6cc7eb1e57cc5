import { describe, expect, it } from 'vitest';
import { bm25IndexOf, createBm25Index, createBm25Updater, stem, termCounts, terms } from '../../src/text/bm25.js';

describe('BM25 search', () => {
  it('maps word forms onto one key and drops stop words', () => {
    const same = (words: string[]) => expect(new Set(words.map(stem)).size, words.join(' ')).toBe(1);
    for (const forms of [['stands', 'stand'], ['sailing', 'sail', 'sailed'], ['loved', 'love', 'loving'], ['stories', 'story'], ['adoption', 'adopted', 'adopting'], ['paintings', 'painting']]) same(forms);
    expect(new Set(['bus', 'busy', 'status'].map(stem)).size).toBe(3);
    expect(terms('What does the DKG stand for?')).toEqual(['dkg', 'stand']);
  });

  it('ranks by term rarity and frequency, skips documents without a shared term', () => {
    const index = createBm25Index(['the cat sat on the mat', 'dogs chase cats', 'a dog and a dog', 'nothing here']);
    expect(index.search('dog', 4)).toEqual([2, 1]);
    expect(index.search('cat', 1)).toEqual([1]);
    expect(index.search('giraffe', 4)).toEqual([]);
    expect(index.search('the a of', 4)).toEqual([]);
    expect(index.search('dog', 0)).toEqual([]);
    expect(createBm25Index([]).search('dog', 3)).toEqual([]);
  });

  it('an index updated as the documents change scores as one built afresh', () => {
    const texts = ['sailing to the harbour', 'a dog named Pip', 'pottery on Thursdays', 'Pip stole my socks', 'a blue bowl of cobalt glaze', 'the harbour at dawn'];
    const counts = texts.map(termCounts);
    const update = createBm25Updater();
    const query = new Map([[stem('pip'), 1], [stem('harbour'), 1], [stem('bowl'), 0.5]]);
    // Grows, shrinks, and has one document replaced in the middle.
    const lists = [counts.slice(0, 3), counts, counts.slice(0, 4), [counts[0], termCounts('Pip at the harbour'), ...counts.slice(2)]];
    for (const list of lists) {
      const docs = list.filter((c) => c !== undefined);
      expect([...update(docs).scoreTerms(query)]).toEqual([...bm25IndexOf(docs).scoreTerms(query)]);
      expect(update(docs).documentFrequency(stem('harbour'))).toBe(bm25IndexOf(docs).documentFrequency(stem('harbour')));
    }
  });
});
