/**
 * The labelled eval sets (test/fixtures/eval/*.jsonl): one JSON object per line, validated
 * with zod so a broken line names its file and line number instead of skewing the scores.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { packageRoot } from '../../package-root.js';

export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative'] as const;
export const INTENTS = [
  'greeting',
  'farewell',
  'question',
  'request',
  'thanks',
  'complaint',
  'smalltalk',
  'command',
  'share-information',
] as const;

export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];
export type Intent = (typeof INTENTS)[number];

const sentimentExample = z.object({
  text: z.string().min(1),
  label: z.enum(SENTIMENT_LABELS),
  /** Categories for the error report (negation, but, emoji, sarcasm...). */
  tags: z.array(z.string()).default([]),
});
const intentExample = z.object({
  text: z.string().min(1),
  intent: z.enum(INTENTS),
  lang: z.string().default('en'),
});

export type SentimentExample = z.infer<typeof sentimentExample>;
export type IntentExample = z.infer<typeof intentExample>;

export function defaultFixturesDir(): string {
  return path.join(packageRoot(), 'test', 'fixtures', 'eval');
}

/**
 * The public sets in test/fixtures/eval/public that the Sentiment model never saw in training
 * (scripts/train-sentiment.mjs reads amazon.tsv and yelp.tsv): `permachat eval` reports these.
 */
export function heldOutPublicSets(): Array<{ file: string; heldOut: true }> {
  return [{ file: path.join(defaultFixturesDir(), 'public', 'imdb.tsv'), heldOut: true }];
}

export function parseJsonl<T>(text: string, schema: z.ZodType<T>, source: string): T[] {
  const rows: T[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new InputError(`${source}:${index + 1} is not valid JSON`, { cause, hint: 'fix or remove that line' });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new InputError(`${source}:${index + 1}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, {
        cause: parsed.error,
        hint: 'each line needs "text" and a label from the documented set (see test/fixtures/eval/README.md)',
      });
    }
    rows.push(parsed.data);
  });
  return rows;
}

async function readSet(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read eval set ${file}`, { cause, hint: 'the eval sets ship in test/fixtures/eval/' });
  }
}

export async function loadSentimentSet(dir = defaultFixturesDir()): Promise<SentimentExample[]> {
  const file = path.join(dir, 'sentiment.jsonl');
  return parseJsonl(await readSet(file), sentimentExample, file);
}

export async function loadIntentSet(dir = defaultFixturesDir()): Promise<IntentExample[]> {
  const file = path.join(dir, 'intent.jsonl');
  return parseJsonl(await readSet(file), intentExample, file);
}
