import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { INTENTS, SENTIMENT_LABELS, loadIntentSet, loadSentimentSet, parseJsonl } from '../../src/tools/eval/dataset.js';
import { InputError } from '../../src/errors.js';

function counts(values: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
  return map;
}

describe('eval fixtures', () => {
  it('sentiment.jsonl parses, has ≥ 300 examples, only the three labels, each well represented', async () => {
    const rows = await loadSentimentSet();
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const byLabel = counts(rows.map((r) => r.label));
    expect([...byLabel.keys()].sort()).toEqual([...SENTIMENT_LABELS].sort());
    for (const label of SENTIMENT_LABELS) expect(byLabel.get(label)).toBeGreaterThanOrEqual(80);
    for (const r of rows) expect(r.tags.length).toBeGreaterThan(0);
  });

  it('sentiment.jsonl covers the hard categories', async () => {
    const tags = counts((await loadSentimentSet()).flatMap((r) => r.tags));
    for (const tag of ['negation', 'but', 'emoji', 'emoticon', 'sarcasm', 'slang', 'typo']) {
      expect(tags.get(tag) ?? 0, tag).toBeGreaterThanOrEqual(10);
    }
  });

  it('intent.jsonl parses, has ≥ 300 examples, all nine intents with ≥ 25 each, some non-English', async () => {
    const rows = await loadIntentSet();
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const byIntent = counts(rows.map((r) => r.intent));
    expect([...byIntent.keys()].sort()).toEqual([...INTENTS].sort());
    for (const intent of INTENTS) expect(byIntent.get(intent)).toBeGreaterThanOrEqual(25);
    const nonEnglish = rows.filter((r) => r.lang !== 'en');
    expect(nonEnglish.length).toBeGreaterThanOrEqual(30);
    for (const intent of INTENTS) expect(nonEnglish.some((r) => r.intent === intent), intent).toBe(true);
  });

  it('no text appears twice within a set', async () => {
    for (const rows of [await loadSentimentSet(), await loadIntentSet()]) {
      const texts = rows.map((r) => r.text.trim().toLowerCase());
      expect(new Set(texts).size).toBe(texts.length);
    }
  });

  it('a bad line is reported with its file and line number', () => {
    const schema = z.object({ text: z.string(), label: z.enum(['a']) });
    expect(() => parseJsonl('{"text":"x","label":"a"}\n{"text":"y","label":"b"}\n', schema, 'f.jsonl')).toThrow(/f\.jsonl:2/);
    expect(() => parseJsonl('not json', schema, 'g.jsonl')).toThrow(InputError);
  });
});
