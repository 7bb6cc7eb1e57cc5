/**
 * Classification metrics written for the eval: accuracy, per-label precision/recall/F1 and
 * macro-F1 (the unweighted mean of per-label F1 over the gold label set, so a rare label
 * counts as much as a common one).
 */

export interface LabelScore {
  precision: number;
  recall: number;
  f1: number;
  /** How many gold examples carry this label. */
  support: number;
}

export interface Scores {
  accuracy: number;
  macroF1: number;
  n: number;
  perLabel: Record<string, LabelScore>;
}

/** Counts of (gold → predicted); predictions outside `labels` still count as wrong. */
export type Confusion = Record<string, Record<string, number>>;

export function confusionMatrix(gold: readonly string[], predicted: readonly string[]): Confusion {
  if (gold.length !== predicted.length) {
    throw new RangeError(`gold has ${gold.length} labels but predicted has ${predicted.length}`);
  }
  const matrix: Confusion = {};
  gold.forEach((g, i) => {
    const p = predicted[i] ?? '';
    const row = (matrix[g] ??= {});
    row[p] = (row[p] ?? 0) + 1;
  });
  return matrix;
}

export function accuracy(gold: readonly string[], predicted: readonly string[]): number {
  if (gold.length !== predicted.length) {
    throw new RangeError(`gold has ${gold.length} labels but predicted has ${predicted.length}`);
  }
  if (gold.length === 0) return 0;
  let right = 0;
  gold.forEach((g, i) => {
    if (predicted[i] === g) right += 1;
  });
  return right / gold.length;
}

/** Precision 0/0 and recall 0/0 are taken as 0 (a label never predicted earns nothing). */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function perLabelScores(
  gold: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
): Record<string, LabelScore> {
  if (gold.length !== predicted.length) {
    throw new RangeError(`gold has ${gold.length} labels but predicted has ${predicted.length}`);
  }
  const scores: Record<string, LabelScore> = {};
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const p = predicted[i];
      if (g === label && p === label) tp += 1;
      else if (g === label) fn += 1;
      else if (p === label) fp += 1;
    });
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    const f1 = ratio(2 * precision * recall, precision + recall);
    scores[label] = { precision, recall, f1, support: tp + fn };
  }
  return scores;
}

/** Mean F1 over `labels`; labels absent from both gold and predictions are skipped. */
export function macroF1(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): number {
  const per = perLabelScores(gold, predicted, labels);
  const present = labels.filter((l) => gold.includes(l) || predicted.includes(l));
  if (present.length === 0) return 0;
  return present.reduce((sum, l) => sum + (per[l]?.f1 ?? 0), 0) / present.length;
}

export function scoreAll(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): Scores {
  return {
    accuracy: accuracy(gold, predicted),
    macroF1: macroF1(gold, predicted, labels),
    n: gold.length,
    perLabel: perLabelScores(gold, predicted, labels),
  };
}
