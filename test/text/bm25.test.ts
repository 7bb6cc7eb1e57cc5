import { describe, expect, it } from 'vitest';
import { createBm25Index, stem, terms } from '../../src/text/bm25.js';

describe('BM25 search', () => {
  it('maps word forms onto one key and drops stop words', () => {
    expect(['stands', 'stand', 'sailing', 'sail', 'loved', 'love', 'loving', 'stories', 'story'].map(stem)).toEqual(['stand', 'stand', 'sail', 'sail', 'lov', 'lov', 'lov', 'story', 'story']);
    expect(['glass', 'status', 'this', 'bus'].map(stem)).toEqual(['glass', 'status', 'this', 'bus']);
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
});
