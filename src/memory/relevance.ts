/** Which remembered turns a new message is about (BM25 over their texts). */
import { createBm25Index } from '../text/bm25.js';

/** Scores each document against the query; returns indexes of the best `k` with a positive score. */
export function rankByRelevance(query: string, documents: string[], k: number): number[] {
  if (documents.length === 0 || k <= 0) return [];
  return createBm25Index(documents).search(query, k);
}
