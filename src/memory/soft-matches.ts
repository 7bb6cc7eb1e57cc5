/**
 * Meaning, word by word: each of the question's topic words finds the nearest word of a message
 * by their static vectors ("hobbies" → "gardening", "pets" → "dogs"), and a close enough one
 * scores like a partial BM25 match: the question word's IDF, times how far the likeness is above
 * a threshold, times the matched word's rarity (common words are near everything). Words of the
 * same stem are left to BM25. Whole-message mean vectors (SIF) were weaker (README).
 */
import { contentWords, stem } from '../text/bm25.js';
import { SCALE, type WordVectors } from '../text/word-vectors.js';
import type { IndexedMessages } from './message-index.js';
import type { RankOptions } from './rank-options.js';
import type { Message } from './turn-features.js';

/** Likenesses kept for this many recent question words (a conversation repeats its topics). */
const KEPT_QUERY_WORDS = 64;

export interface SoftMatcher {
  /** Each message's soft-match score for the question's topic words (as written, not stemmed). */
  (indexed: IndexedMessages, topicWords: readonly string[]): Float64Array;
}

/**
 * The words messages used, numbered in the order first seen (bounded by the vectors' words):
 * a question word's likenesses are an array over these, not over every word with a vector.
 */
interface Vocabulary {
  ids: number[];
  stems: string[];
  local: Map<number, number>;
  /** Their vectors side by side (read in order: several times faster than by word number). */
  matrix: Int8Array;
}

/** A message's distinct words with vectors, as vocabulary numbers. */
function wordsWith(vectors: WordVectors, vocabulary: Vocabulary, text: string): Int32Array {
  const numbers = new Set<number>();
  for (const word of contentWords(text)) {
    const id = vectors.id(word);
    if (id === undefined) continue;
    let n = vocabulary.local.get(id);
    if (n === undefined) {
      n = vocabulary.ids.length;
      vocabulary.local.set(id, n);
      vocabulary.ids.push(id);
      vocabulary.stems.push(stem(word));
      const d = vectors.dimensions;
      if (vocabulary.matrix.length < (n + 1) * d) {
        const grown = new Int8Array(Math.max(1024, 2 * n) * d);
        grown.set(vocabulary.matrix);
        vocabulary.matrix = grown;
      }
      vocabulary.matrix.set(vectors.bytes(id), n * d);
    }
    numbers.add(n);
  }
  return Int32Array.from(numbers);
}

export function createSoftMatcher(vectors: WordVectors, meaning: RankOptions['meaning']): SoftMatcher {
  const vocabulary: Vocabulary = { ids: [], stems: [], local: new Map(), matrix: new Int8Array(0) };
  const perMessage = new WeakMap<Message['own'], Int32Array>();
  // Per question word, its likeness to each vocabulary word (NaN: not computed yet; −2: same stem).
  const likeness = new Map<number, Float32Array>();

  const wordsOf = (m: Message): Int32Array => {
    let kept = perMessage.get(m.own);
    if (kept === undefined) perMessage.set(m.own, (kept = wordsWith(vectors, vocabulary, m.text)));
    return kept;
  };

  /** A question word's likeness to every vocabulary word, computed once per word pair. */
  const likenessOf = (id: number, own: string): Float32Array => {
    let row = likeness.get(id);
    const size = vocabulary.ids.length;
    if (row === undefined || row.length < size) {
      if (row === undefined && likeness.size >= KEPT_QUERY_WORDS) likeness.delete(likeness.keys().next().value as number);
      const grown = new Float32Array(Math.max(1024, size * 2)).fill(Number.NaN);
      if (row !== undefined) grown.set(row);
      row = grown;
    }
    const q = vectors.bytes(id);
    const d = vectors.dimensions;
    const { matrix, stems } = vocabulary;
    for (let w = 0; w < size; w++) {
      if (!Number.isNaN(row[w])) continue;
      let dot = 0;
      // Whole numbers (at most 100 · 127² = 1,612,900): integer adds, faster than floating ones.
      for (let k = 0, at = w * d; k < d; k++, at++) dot = (dot + (q[k] as number) * (matrix[at] as number)) | 0;
      row[w] = stems[w] === own ? -2 : dot / (SCALE * SCALE);
    }
    // Most recently used last: the first one is the one dropped.
    likeness.delete(id);
    likeness.set(id, row);
    return row;
  };

  return (indexed, topicWords) => {
    const { messages, index } = indexed;
    const n = messages.length;
    const scores = new Float64Array(n);
    const t = meaning.threshold;
    const words = messages.map(wordsOf);
    const asked = [...new Set(topicWords)].flatMap((word) => {
      const id = vectors.id(word);
      if (id === undefined) return [];
      const own = stem(word);
      const df = index.documentFrequency(own);
      return [{ row: likenessOf(id, own), idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) }];
    });
    // Most messages hold no word near any question word: they are passed over in one look each.
    const near = new Uint8Array(vocabulary.ids.length);
    for (const { row } of asked) for (let w = 0; w < near.length; w++) if ((row[w] as number) > t) near[w] = 1;
    for (let i = 0; i < n; i++) {
      const ids = words[i] as Int32Array;
      if (!ids.some((w) => near[w] === 1)) continue;
      for (const { row, idf } of asked) {
        let best = t;
        let bestAt = -1;
        for (const w of ids) {
          if ((row[w] as number) > best) {
            best = row[w] as number;
            bestAt = w;
          }
        }
        if (bestAt >= 0) scores[i] = (scores[i] as number) + (idf * (best - t) * vectors.rarity(vocabulary.ids[bestAt] as number)) / (1 - t);
      }
    }
    return scores;
  };
}
