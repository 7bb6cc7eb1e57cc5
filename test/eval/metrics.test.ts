import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, macroF1, perLabelScores, scoreAll } from '../../src/tools/eval/metrics.js';

// A hand-worked case:
// gold:      pos pos pos neg neg neu
// predicted: pos pos neg neg pos neu
// pos: tp 2, fp 1, fn 1 → P 2/3, R 2/3, F1 2/3
// neg: tp 1, fp 1, fn 1 → P 1/2, R 1/2, F1 1/2
// neu: tp 1, fp 0, fn 0 → F1 1
// macro-F1 = (2/3 + 1/2 + 1) / 3 = 13/18; accuracy 4/6.
const gold = ['pos', 'pos', 'pos', 'neg', 'neg', 'neu'];
const predicted = ['pos', 'pos', 'neg', 'neg', 'pos', 'neu'];
const labels = ['pos', 'neg', 'neu'];

describe('metrics', () => {
  it('accuracy counts exact matches', () => {
    expect(accuracy(gold, predicted)).toBeCloseTo(4 / 6, 12);
    expect(accuracy(['a'], ['a'])).toBe(1);
    expect(accuracy(['a', 'b'], ['b', 'a'])).toBe(0);
    expect(accuracy([], [])).toBe(0);
  });

  it('per-label precision, recall, F1 and support', () => {
    const per = perLabelScores(gold, predicted, labels);
    expect(per.pos).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: expect.closeTo(2 / 3, 12), support: 3 });
    expect(per.neg).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(per.neu).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
  });

  it('macro-F1 is the unweighted mean of per-label F1', () => {
    expect(macroF1(gold, predicted, labels)).toBeCloseTo(13 / 18, 12);
  });

  it('an asymmetric case: precision and recall differ', () => {
    // a: tp 1, fp 0, fn 2 → P 1, R 1/3, F1 0.5; b: tp 2, fp 2, fn 0 → P 1/2, R 1, F1 2/3.
    const g = ['a', 'a', 'a', 'b', 'b'];
    const p = ['a', 'b', 'b', 'b', 'b'];
    const per = perLabelScores(g, p, ['a', 'b']);
    expect(per.a?.precision).toBe(1);
    expect(per.a?.recall).toBeCloseTo(1 / 3, 12);
    expect(per.a?.f1).toBeCloseTo(0.5, 12);
    expect(per.b?.f1).toBeCloseTo(2 / 3, 12);
    expect(macroF1(g, p, ['a', 'b'])).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
  });

  it('a label never predicted scores 0 and drags macro-F1 down; an unused label is skipped', () => {
    const g = ['x', 'x', 'y', 'y'];
    const p = ['x', 'x', 'x', 'x'];
    // x: P 1/2, R 1 → F1 2/3; y: F1 0; z never appears anywhere.
    expect(perLabelScores(g, p, ['x', 'y']).y).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(macroF1(g, p, ['x', 'y', 'z'])).toBeCloseTo(1 / 3, 12);
  });

  it('predictions outside the label set count as wrong', () => {
    const s = scoreAll(['x', 'y'], ['x', '(error)'], ['x', 'y']);
    expect(s.accuracy).toBe(0.5);
    expect(s.n).toBe(2);
    expect(s.perLabel.y?.recall).toBe(0);
    expect(s.macroF1).toBeCloseTo((1 + 0) / 2, 12);
  });

  it('confusion matrix counts gold → predicted', () => {
    expect(confusionMatrix(gold, predicted)).toEqual({ pos: { pos: 2, neg: 1 }, neg: { neg: 1, pos: 1 }, neu: { neu: 1 } });
  });

  it('rejects lists of different lengths', () => {
    expect(() => accuracy(['a'], [])).toThrow(RangeError);
    expect(() => macroF1(['a'], ['a', 'b'], ['a'])).toThrow(RangeError);
  });
});
