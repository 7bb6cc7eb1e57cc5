/**
 * Off-the-shelf sentiment baselines: AFINN-165 (npm `sentiment`) and VADER (npm
 * `vader-sentiment`), with the thresholds their authors document.
 */
import { createRequire } from 'node:module';
import type { SentimentLabel } from './dataset.js';

const require = createRequire(import.meta.url);

type Scorer = (text: string) => number;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function numberField(value: unknown, field: string, library: string): number {
  const found = isRecord(value) ? value[field] : undefined;
  if (typeof found !== 'number') throw new TypeError(`${library} returned no numeric "${field}"`);
  return found;
}

/** AFINN total score: > 0 positive, < 0 negative, 0 neutral. */
export function createAfinnScorer(): Scorer {
  // Neither package ships types: the values are narrowed right here.
  const Sentiment: unknown = require('sentiment');
  if (typeof Sentiment !== 'function') throw new TypeError('npm "sentiment" did not export a constructor');
  const instance: unknown = Reflect.construct(Sentiment, []);
  const analyze: unknown = isRecord(instance) ? instance.analyze : undefined;
  if (typeof analyze !== 'function') throw new TypeError('npm "sentiment" has no analyze()');
  return (text) => numberField(Reflect.apply(analyze, instance, [text]), 'score', 'sentiment');
}

/** VADER compound in [-1, 1]. */
export function createVaderScorer(): Scorer {
  const vader: unknown = require('vader-sentiment');
  const analyzer = isRecord(vader) ? vader.SentimentIntensityAnalyzer : undefined;
  const polarity: unknown = isRecord(analyzer) || typeof analyzer === 'function' ? Reflect.get(analyzer, 'polarity_scores') : undefined;
  if (typeof polarity !== 'function') throw new TypeError('npm "vader-sentiment" has no polarity_scores()');
  return (text) => numberField(Reflect.apply(polarity, analyzer, [text]), 'compound', 'vader-sentiment');
}

export function afinnLabel(score: number): SentimentLabel {
  if (score > 0) return 'positive';
  if (score < 0) return 'negative';
  return 'neutral';
}

/** The standard VADER cut-offs: compound ≥ 0.05 positive, ≤ −0.05 negative. */
export function vaderLabel(compound: number): SentimentLabel {
  if (compound >= 0.05) return 'positive';
  if (compound <= -0.05) return 'negative';
  return 'neutral';
}
