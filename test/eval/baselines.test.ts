import { describe, expect, it } from 'vitest';
import { keywordIntent } from '../../src/tools/eval/keyword-intent.js';
import { afinnLabel, createAfinnScorer, createVaderScorer, vaderLabel } from '../../src/tools/eval/lexicon-baselines.js';

describe('lexicon baselines (real npm packages)', () => {
  it('AFINN scores with the sign thresholds', () => {
    const afinn = createAfinnScorer();
    expect(afinn('i love this')).toBeGreaterThan(0);
    expect(afinn('this is terrible')).toBeLessThan(0);
    expect(afinnLabel(afinn('the meeting is on tuesday'))).toBe('neutral');
    expect([afinnLabel(1), afinnLabel(0), afinnLabel(-2)]).toEqual(['positive', 'neutral', 'negative']);
  });

  it('VADER compound with the standard ±0.05 thresholds', () => {
    const vader = createVaderScorer();
    expect(vaderLabel(vader('i love this :)'))).toBe('positive');
    expect(vaderLabel(vader('not good at all'))).toBe('negative');
    expect([vaderLabel(0.05), vaderLabel(0.049), vaderLabel(-0.049), vaderLabel(-0.05)]).toEqual([
      'positive',
      'neutral',
      'neutral',
      'negative',
    ]);
  });
});

describe('keyword intent baseline', () => {
  it('matches whole keywords, not parts of words', () => {
    expect(keywordIntent('hello there')).toBe('greeting');
    expect(keywordIntent('this is it')).not.toBe('greeting');
    expect(keywordIntent('thanks a lot')).toBe('thanks');
    expect(keywordIntent('bye for now')).toBe('farewell');
  });

  it('falls back to question on "?" and to share-information otherwise', () => {
    expect(keywordIntent('zzz?')).toBe('question');
    expect(keywordIntent('zzz')).toBe('share-information');
  });

  it('the higher keyword count wins', () => {
    expect(keywordIntent('could you please help me')).toBe('request');
  });
});
