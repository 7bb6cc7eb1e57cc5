/** Lexical relevance (BM25) of remembered texts to a new message: no embeddings model needed. */
const STOP = new Set('a an and are as at be but by do does for from had has have he her his i if in is it its me my no not of on or our she so that the their them they this to was we were what when where which who why will with you your'.split(' '));

export function terms(text: string): string[] {
  return (text.toLowerCase().normalize('NFKD').match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 && !STOP.has(t));
}

/** Scores each document against the query; returns indexes of the best `k` with a positive score. */
export function rankByRelevance(query: string, documents: string[], k: number): number[] {
  const q = [...new Set(terms(query))];
  if (q.length === 0 || documents.length === 0 || k <= 0) return [];
  const docs = documents.map(terms);
  const avg = docs.reduce((n, d) => n + d.length, 0) / docs.length || 1;
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const k1 = 1.2;
  const b = 0.75;
  const scores = docs.map((doc, index) => {
    let score = 0;
    for (const term of q) {
      const tf = doc.filter((t) => t === term).length;
      if (tf === 0) continue;
      const n = df.get(term) ?? 0;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.length) / avg));
    }
    return { index, score };
  });
  return scores.filter((s) => s.score > 0).sort((a, b2) => b2.score - a.score || b2.index - a.index).slice(0, k).map((s) => s.index);
}
