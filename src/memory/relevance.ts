/** Which remembered turns a new message is about (BM25 over their texts). */
import { createBm25Index } from '../text/bm25.js';

/** Scores each document against the query; returns indexes of the best `k` with a positive score. */
export const rankByRelevance = (query: string, documents: string[], k: number): number[] => createBm25Index(documents).search(query, k);
