/**
 * Lexical relevance (BM25) without an embeddings model: used to pick the remembered turns and the
 * character's knowledge passages that a new message is about.
 */
const STOP = new Set('a an and are as at be but by do does for from had has have he her his i if in is it its me my no not of on or our she so that the their them they this to was we were what when where which who why will with you your'.split(' '));

/**
 * A light English suffix stripper, so that "stands" finds "stand" and "sailing" finds "sail":
 * applied to documents and queries alike, it only has to map word forms onto one key.
 */
export function stem(term: string): string {
  let t = term;
  if (t.length > 4 && t.endsWith('ies')) t = `${t.slice(0, -3)}y`;
  else if (t.length > 5 && t.endsWith('ing')) t = t.slice(0, -3);
  else if (t.length > 4 && t.endsWith('ed')) t = t.slice(0, -2);
  else if (t.length > 3 && t.endsWith('s') && !/(ss|us|is)$/.test(t)) t = t.slice(0, -1);
  if (t.length > 3 && t.endsWith('e')) t = t.slice(0, -1);
  return t;
}

export function terms(text: string): string[] {
  return (text.toLowerCase().normalize('NFKD').match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 && !STOP.has(t)).map(stem);
}

export interface Bm25Index {
  /** Indexes of the best `k` documents with a positive score, best first (later documents win ties). */
  search(query: string, k: number): number[];
}

const K1 = 1.2;
const B = 0.75;

/** A document's term frequencies: what an index needs of it, and what is worth keeping between indexes. */
export interface TermCounts {
  tf: Map<string, number>;
  length: number;
}

export function termCounts(text: string): TermCounts {
  const tf = new Map<string, number>();
  const words = terms(text);
  for (const term of words) tf.set(term, (tf.get(term) ?? 0) + 1);
  return { tf, length: words.length };
}

/** Tokenises the documents once, so that each search costs only the query's terms. */
export function createBm25Index(documents: readonly string[]): Bm25Index {
  return bm25IndexOf(documents.map(termCounts));
}

/** An index over documents already counted (tokenising is most of the cost of building one). */
export function bm25IndexOf(counts: readonly TermCounts[]): Bm25Index {
  const avg = counts.reduce((n, d) => n + d.length, 0) / (counts.length || 1) || 1;
  const df = new Map<string, number>();
  for (const { tf } of counts) for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  return {
    search(query, k) {
      const q = [...new Set(terms(query))].filter((term) => df.has(term));
      if (q.length === 0 || k <= 0) return [];
      const scores: Array<{ index: number; score: number }> = [];
      counts.forEach(({ tf, length }, index) => {
        let score = 0;
        for (const term of q) {
          const f = tf.get(term);
          if (!f) continue;
          const n = df.get(term) ?? 0;
          const idf = Math.log(1 + (counts.length - n + 0.5) / (n + 0.5));
          score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / avg));
        }
        if (score > 0) scores.push({ index, score });
      });
      return scores.sort((a, b) => b.score - a.score || b.index - a.index).slice(0, k).map((s) => s.index);
    },
  };
}
