// The lines training must never see: every line of the sets the eval reports as held out (the
// UCI IMDB set and the project's own sentiment.jsonl). A few short reviews ("Very
// disappointing.") occur in more than one UCI set; such a line is dropped from training.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const HELD_OUT_FILES = ['test/fixtures/eval/public/imdb.tsv', 'test/fixtures/eval/sentiment.jsonl'];

/** Case, punctuation and spacing do not make a line new. */
export function normalLine(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N} ]/gu, '').replace(/\s+/g, ' ').trim();
}

export async function heldOutLines(root, files = HELD_OUT_FILES) {
  const lines = new Set();
  for (const file of files) {
    for (const line of (await readFile(path.join(root, file), 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      lines.add(normalLine(file.endsWith('.jsonl') ? JSON.parse(line).text : line.slice(line.indexOf('\t') + 1)));
    }
  }
  return lines;
}

/** The rows whose text is not a held-out line. */
export function withoutHeldOut(rows, heldOut) {
  return rows.filter((row) => !heldOut.has(normalLine(row.text)));
}
