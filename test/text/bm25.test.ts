import { describe, expect, it } from 'vitest';
import { bm25IndexOf, countTerms, createBm25Index, createBm25Updater, pairsOf, stem, termCounts, terms } from '../../src/text/bm25.js';
import { pastToBase, verbBase } from '../../src/text/irregular-verbs.js';

describe('BM25 search', () => {
  it('maps word forms onto one key and drops stop words', () => {
    const same = (words: string[]) => expect(new Set(words.map(stem)).size, words.join(' ')).toBe(1);
    for (const forms of [['stands', 'stand'], ['sailing', 'sail', 'sailed'], ['loved', 'love', 'loving'], ['stories', 'story'], ['adoption', 'adopted', 'adopting'], ['paintings', 'painting']]) same(forms);
    expect(new Set(['bus', 'busy', 'status'].map(stem)).size).toBe(3);
    expect(terms('What does the DKG stand for?')).toEqual(['dkg', 'stand']);
  });

  it('finds an irregular verb\'s past forms under its base ("went" finds "go")', () => {
    for (const forms of [['went', 'go', 'gone', 'going'], ['bought', 'buy'], ['ran', 'run', 'running'], ['taught', 'teach'], ['swam', 'swim']]) expect(new Set(forms.map(stem)).size, forms.join(' ')).toBe(1);
    expect(terms('Wir sind nach Porto gefahren, and we bought pastéis')).toContain(stem('buy'));
    // A past form that is another verb's base keeps its own meaning: "lay" the table is not "lie".
    expect(verbBase('lay')).toBe('lay');
    expect(verbBase('naïve')).toBe('naïve');
    const table = { go: [['went', 'gone']], lie: [['lay', 'lain']], lay: [['laid', 'laid']], be: [['was', 'been'], ['were', 'been']] };
    expect(Object.fromEntries(pastToBase(table))).toEqual({ went: 'go', gone: 'go', lain: 'lie', laid: 'lay', was: 'be', been: 'be', were: 'be' });
  });

  it('counts word pairs as keys of their own, without lengthening the document', () => {
    const words = terms('We opened a dance studio by the river');
    expect(pairsOf(words)).toEqual([`${stem('opened')} ${stem('dance')}`, `${stem('dance')} ${stem('studio')}`, `${stem('studio')} ${stem('river')}`]);
    expect(pairsOf(['solo'])).toEqual([]);
    const counts = countTerms(words, pairsOf(words));
    expect(counts.length).toBe(words.length);
    expect(counts.tf.get(`${stem('dance')} ${stem('studio')}`)).toBe(1);
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
