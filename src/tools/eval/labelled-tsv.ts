/**
 * Sentiment sets as `label<TAB>text` lines (labels positive, negative and optionally neutral),
 * the format `permachat eval --dataset` reads and the public sets in test/fixtures/eval/public
 * are kept in. A bad line names its file and line number.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { SENTIMENT_LABELS, type SentimentLabel } from './dataset.js';

export interface LabelledRow {
  label: SentimentLabel;
  text: string;
}

export interface LabelledSet {
  /** The file name without its folder and extension: `imdb` for public/imdb.tsv. */
  name: string;
  file: string;
  rows: LabelledRow[];
  /** The labels the gold side uses: two (positive, negative) or all three. */
  labels: SentimentLabel[];
}

function isLabel(value: string): value is SentimentLabel {
  return (SENTIMENT_LABELS as readonly string[]).includes(value);
}

export function parseLabelledTsv(text: string, file: string): LabelledSet {
  const rows: LabelledRow[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    const label = tab < 0 ? '' : line.slice(0, tab).trim().toLowerCase();
    const body = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (!isLabel(label) || body === '') {
      throw new InputError(`${file}:${index + 1}: expected "label<TAB>text" with label positive, negative or neutral`, {
        hint: 'fix or remove that line; e.g. "positive\tGreat phone, the battery lasts all day"',
      });
    }
    rows.push({ label, text: body });
  });
  if (rows.length === 0) throw new InputError(`${file} has no labelled lines`, { hint: 'one "label<TAB>text" per line' });
  // Any neutral line makes it a three-class set; otherwise it is positive against negative.
  const labels: SentimentLabel[] = rows.some((row) => row.label === 'neutral') ? [...SENTIMENT_LABELS] : ['positive', 'negative'];
  return { name: path.basename(file).replace(/\.[^.]*$/, ''), file, rows, labels };
}

export async function loadLabelledTsv(file: string): Promise<LabelledSet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read dataset ${file}`, { cause, hint: 'give the path of a label<TAB>text file' });
  }
  return parseLabelledTsv(text, file);
}
