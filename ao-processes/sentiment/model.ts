// The learned part of Sentiment: two logistic models over the hashed features (features.ts)
// and the lexicon rules' compound (rules.ts), trained offline by scripts/train-sentiment.mjs
// into ao-processes/sentiment/model.json and generated into build/gen at build time.
// Polarity: positive against negative. Feeling: whether the message takes a side at all.
import {
  FEELING_BIAS, FEELING_DENSE, FEELING_QUIET, FEELING_SCALE, FEELING_WEIGHTS,
  POLARITY_BIAS, POLARITY_DENSE, POLARITY_SCALE, POLARITY_WEIGHTS,
} from '../../build/gen/sentiment-model';

function sum(weights: StaticArray<i8>, scale: f64, hashes: u32[]): f64 {
  const mask = <u32>weights.length - 1;
  let total: f64 = 0;
  for (let i = 0; i < hashes.length; i++) total += <f64>unchecked(weights[hashes[i] & mask]);
  return total * scale;
}

/** Log-odds that the message is positive rather than negative. */
export function polarity(hashes: u32[], ruleCompound: f64): f64 {
  return POLARITY_BIAS + POLARITY_DENSE * ruleCompound + sum(POLARITY_WEIGHTS, POLARITY_SCALE, hashes);
}

/** Log-odds that the message expresses a feeling at all. */
export function feeling(hashes: u32[], ruleCompound: f64): f64 {
  return FEELING_BIAS + FEELING_DENSE * Math.abs(ruleCompound) + sum(FEELING_WEIGHTS, FEELING_SCALE, hashes);
}

/**
 * A message with a lexicon word takes the side polarity leans to; one without needs the
 * feeling model past the threshold chosen in training, since most such lines in chat are
 * facts and questions.
 */
export function labelOf(polarityMargin: f64, feelingMargin: f64, ruleCompound: f64): string {
  if (Math.abs(ruleCompound) < 0.05 && feelingMargin <= FEELING_QUIET) return 'neutral';
  return polarityMargin >= 0 ? 'positive' : 'negative';
}

/**
 * -1..1 on the VADER convention: at least 0.05 away from 0 for a positive or negative label,
 * inside ±0.05 for neutral, still leaning polarity's way (its sign is the model's best guess).
 */
export function compoundOf(polarityMargin: f64, label: string): f64 {
  const c = Math.tanh(polarityMargin / 2);
  if (label == 'neutral') return c * 0.049;
  if (label == 'positive') return c < 0.05 ? 0.05 : c;
  return c > -0.05 ? -0.05 : c;
}
