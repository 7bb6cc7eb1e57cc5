/**
 * Evaluated results of one process, in slot order, for /result and /results. Bounded: only
 * the newest `capacity` results are held; older ones answer "no longer held".
 */
import type { EvalResult } from './types.js';

export interface StoredResult {
  slot: number;
  messageId: string;
  timestamp: number;
  result: EvalResult;
}

export interface ResultsQuery {
  from?: string;
  to?: string;
  sort?: 'ASC' | 'DESC';
  limit?: number;
}

/** Cursor: base64url JSON with the slot as `ordinate`, like the AO compute unit's cursors. */
export function encodeCursor(stored: StoredResult): string {
  return Buffer.from(JSON.stringify({ timestamp: stored.timestamp, ordinate: String(stored.slot) })).toString('base64url');
}

export function decodeCursor(cursor: string): number | undefined {
  if (/^\d+$/.test(cursor)) return Number(cursor);
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const ordinate = typeof parsed === 'object' && parsed !== null ? (parsed as { ordinate?: unknown }).ordinate : undefined;
    const slot = Number(ordinate);
    return Number.isInteger(slot) ? slot : undefined;
  } catch {
    return undefined;
  }
}

export function createResultStore(capacity: number) {
  const history: StoredResult[] = [];
  const byId = new Map<string, StoredResult>();

  return {
    add(stored: StoredResult): void {
      history.push(stored);
      byId.set(stored.messageId, stored);
      while (history.length > capacity) {
        const old = history.shift();
        if (old) byId.delete(old.messageId);
      }
    },
    get: (messageId: string) => byId.get(messageId),
    query(query: ResultsQuery): StoredResult[] {
      const limit = Math.min(Math.max(query.limit ?? 25, 1), 1000);
      const from = query.from === undefined ? undefined : decodeCursor(query.from);
      const to = query.to === undefined ? undefined : decodeCursor(query.to);
      if (query.sort === 'DESC') {
        const out: StoredResult[] = [];
        for (let i = history.length - 1; i >= 0 && out.length < limit; i--) {
          const item = history[i]!;
          if (from !== undefined && item.slot >= from) continue;
          if (to !== undefined && item.slot < to) break;
          out.push(item);
        }
        return out;
      }
      const out: StoredResult[] = [];
      for (const item of history) {
        if (out.length >= limit) break;
        if (from !== undefined && item.slot <= from) continue;
        if (to !== undefined && item.slot > to) break;
        out.push(item);
      }
      return out;
    },
  };
}

export type ResultStore = ReturnType<typeof createResultStore>;
