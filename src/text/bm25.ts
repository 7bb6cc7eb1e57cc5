/**
 * Lexical relevance (BM25) without an embeddings model: used to pick the remembered turns and the
 * character's knowledge passages that a new message is about.
 */
import { stemmer } from 'stemmer';
import { verbBase } from './irregular-verbs.js';

const STOP = new Set('a an and are as at be but by do does for from had has have he her his i if in is it its me my no not of on or our she so that the their them they this to was we were what when where which who why will with you your'.split(' '));

/**
 * Word forms onto one key ("adoption" and "adopted" find "adopt", "stories" finds "story",
 * "went" finds "go"): an irregular verb's base, then Porter's English stemmer, applied to
 * documents and queries alike. Porter replaced a five-rule suffix stripper (recall@5 on LoCoMo
 * +0.02), the irregular verbs added +0.007 promptCoverage (README, memory recall).
 */
export function stem(term: string): string {
  let stemmed = STEMS.get(term);
  if (stemmed === undefined) {
    if (STEMS.size >= MAX_STEMS) STEMS.clear();
    stemmed = stemmer(verbBase(term));
    STEMS.set(term, stemmed);
  }
  return stemmed;
}

// Stemming is most of the cost of indexing a history (Porter is a cascade of regular
// expressions), and a conversation reuses a few thousand words: each is stemmed once.
const STEMS = new Map<string, string>();
const MAX_STEMS = 100_000;

export function terms(text: string): string[] {
  return contentWords(text).map(stem);
}

/** A text's words as written (lower case), without the commonest ones: what `terms` stems. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().normalize('NFKD').match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 && !STOP.has(t));
}

export interface Bm25Index {
  /** Indexes of the best `k` documents with a positive score, best first (later documents win ties). */
  search(query: string, k: number): number[];
  /** Every document's score for query terms (already through `terms`) with a weight each. */
  scoreTerms(weights: ReadonlyMap<string, number>): Float64Array;
  /** In how many documents the term occurs. */
  documentFrequency(term: string): number;
  readonly size: number;
}

/** BM25's term-frequency saturation (k1) and length normalisation (b). */
export interface Bm25Params {
  k1: number;
  b: number;
}

const DEFAULT_PARAMS: Bm25Params = { k1: 1.2, b: 0.75 };

/** A document's term frequencies: what an index needs of it, and what is worth keeping between indexes. */
export interface TermCounts {
  tf: Map<string, number>;
  length: number;
}

export function termCounts(text: string): TermCounts {
  return countTerms(terms(text));
}

/** Counts of terms, and of `extra` keys (word pairs) that do not add to the document's length. */
export function countTerms(words: readonly string[], extra: readonly string[] = []): TermCounts {
  const tf = new Map<string, number>();
  for (const term of words) tf.set(term, (tf.get(term) ?? 0) + 1);
  for (const key of extra) tf.set(key, (tf.get(key) ?? 0) + 1);
  return { tf, length: words.length };
}

/** Each two neighbouring terms as one key ("dance studio"): a phrase that a query and a document share. */
export function pairsOf(words: readonly string[]): string[] {
  return words.slice(1).map((word, i) => `${words[i]} ${word}`);
}

/** Tokenises the documents once, so that each search costs only the query's terms. */
export function createBm25Index(documents: readonly string[]): Bm25Index {
  return bm25IndexOf(documents.map(termCounts));
}

/** The best `k` positive scores' indexes, best first; later documents win ties. */
export function topIndexes(scores: ArrayLike<number>, k: number): number[] {
  const hits: number[] = [];
  for (let i = 0; i < scores.length; i++) if ((scores[i] ?? 0) > 0) hits.push(i);
  return hits.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || b - a).slice(0, Math.max(0, k));
}

/** An index over documents already counted (tokenising is most of the cost of building one). */
export function bm25IndexOf(counts: readonly TermCounts[], params: Bm25Params = DEFAULT_PARAMS): Bm25Index {
  return createBm25Updater(params)(counts);
}

/**
 * Indexes over a list of documents that changes little between searches (a conversation that
 * grew by a turn): document frequencies are updated for the documents that changed place or
 * content, instead of being counted again over every document.
 */
export function createBm25Updater(params: Bm25Params = DEFAULT_PARAMS): (counts: readonly TermCounts[]) => Bm25Index {
  let previous: readonly TermCounts[] = [];
  // term → (document position → frequency): a search visits only the documents holding its terms.
  const postings = new Map<string, Map<number, number>>();
  let total = 0;
  const remove = (doc: TermCounts, at: number) => {
    total -= doc.length;
    for (const term of doc.tf.keys()) {
      const list = postings.get(term);
      list?.delete(at);
      if (list?.size === 0) postings.delete(term);
    }
  };
  const add = (doc: TermCounts, at: number) => {
    total += doc.length;
    for (const [term, f] of doc.tf) {
      let list = postings.get(term);
      if (list === undefined) postings.set(term, (list = new Map()));
      list.set(at, f);
    }
  };
  return (counts) => {
    for (let i = 0; i < Math.max(counts.length, previous.length); i++) {
      const was = previous[i];
      const now = counts[i];
      if (was === now) continue;
      if (was) remove(was, i);
      if (now) add(now, i);
    }
    previous = [...counts];
    return indexOver(counts, postings, total, params);
  };
}

function indexOver(counts: readonly TermCounts[], postings: ReadonlyMap<string, ReadonlyMap<number, number>>, total: number, { k1, b }: Bm25Params): Bm25Index {
  const avg = total / (counts.length || 1) || 1;
  const norm = (i: number) => k1 * (1 - b + (b * (counts[i] as TermCounts).length) / avg);
  function scoreTerms(weights: ReadonlyMap<string, number>): Float64Array {
    const scores = new Float64Array(counts.length);
    for (const [term, weight] of weights) {
      const list = postings.get(term);
      if (!list || weight === 0) continue;
      const idf = weight * Math.log(1 + (counts.length - list.size + 0.5) / (list.size + 0.5));
      for (const [i, f] of list) scores[i] = (scores[i] as number) + (idf * f * (k1 + 1)) / (f + norm(i));
    }
    return scores;
  }
  return {
    size: counts.length,
    documentFrequency: (term) => postings.get(term)?.size ?? 0,
    scoreTerms,
    search(query, k) {
      if (k <= 0) return [];
      return topIndexes(scoreTerms(new Map(terms(query).map((term) => [term, 1]))), k);
    },
  };
}
