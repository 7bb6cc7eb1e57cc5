/**
 * Snapshot segments: a cold load (a new machine, a lost cache) reads a user's memory in a few
 * large items instead of one read per record. Every SNAPSHOT_EVERY records a user gains, the
 * records not yet in a segment are written again as one item: their ids and sealed bytes, the
 * whole sealed once more under the user's key (nothing plaintext, not even how many records or
 * how long each is). A cold load reads every segment, then only the records listed after them
 * (see gateway-records.ts `newer`). Segments hold the records since the previous one, not all
 * of them: one growing snapshot would cost the square of the history in bytes, segments cost
 * it once more. Records keep their ids inside a segment, so one read from a segment and again
 * on its own (two instances writing overlapping segments, a segment written twice after a
 * crash) is still one record.
 */
import { GATEWAY_READS_AT_ONCE, type ArweaveClient } from '../arweave/client.js';
import { mapLimited } from '../concurrency.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CachedRecord } from './cache.js';
import type { MemoryCrypto } from './crypto.js';
import { APP_NAME, SNAPSHOT_FORMAT } from './tags.js';

/** Records a user gains between two segments; about 0.5 MB of records per segment at typical turns. */
export const SNAPSHOT_EVERY = 500;

const MAGIC = new TextEncoder().encode('permachat-segment-1\n');

/** count, then per record: id length (1 byte), id (ASCII), sealed length (4 bytes), sealed bytes. */
export function encodeSegment(rows: readonly CachedRecord[]): Uint8Array {
  const ids = rows.map((row) => Buffer.from(row.id, 'latin1'));
  const size = MAGIC.length + 4 + rows.reduce((sum, row, i) => sum + 1 + (ids[i] as Buffer).length + 4 + row.sealed.length, 0);
  const out = Buffer.alloc(size);
  out.set(MAGIC, 0);
  let at = MAGIC.length;
  at = out.writeUInt32LE(rows.length, at);
  rows.forEach((row, i) => {
    const id = ids[i] as Buffer;
    if (id.length > 255) throw new Error(`record id ${row.id} is too long for a segment`);
    at = out.writeUInt8(id.length, at);
    at += id.copy(out, at);
    at = out.writeUInt32LE(row.sealed.length, at);
    out.set(row.sealed, at);
    at += row.sealed.length;
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export function decodeSegment(bytes: Uint8Array): CachedRecord[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new Error('not a memory snapshot segment');
  let at = MAGIC.length;
  const count = buf.readUInt32LE(at);
  at += 4;
  const rows: CachedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const idLength = buf.readUInt8(at);
    const id = buf.toString('latin1', at + 1, at + 1 + idLength);
    at += 1 + idLength;
    const length = buf.readUInt32LE(at);
    at += 4;
    if (at + length > buf.length) throw new Error('snapshot segment cut short');
    rows.push({ id, sealed: new Uint8Array(buf.subarray(at, at + length)) });
    at += length;
  }
  return rows;
}

export interface SnapshotRead {
  /** Every record the segments hold, once each. */
  rows: CachedRecord[];
  /** The ids of those records. */
  covered: Set<string>;
  segments: number;
  /** Segments listed but unreadable: their records must then be read one by one (all of them). */
  failed: number;
}

export interface Snapshots {
  /** Every segment of the user the gateway lists; one that fails authentication is logged and skipped. */
  read(userKey: string, pseudonym: string): Promise<SnapshotRead>;
}

export function createSnapshots(deps: { arweave: ArweaveClient; crypto: MemoryCrypto; logger: Logger }): Snapshots {
  return {
    async read(userKey, pseudonym) {
      const listed = await deps.arweave.queryAll({
        tags: [
          { name: 'App-Name', values: [APP_NAME] },
          { name: 'Record-Format', values: [SNAPSHOT_FORMAT] },
          { name: 'User', values: [pseudonym] },
        ],
        first: 100,
      });
      const ids = [...new Set(listed.map((item) => item.id))];
      let failed = 0;
      const segments = await mapLimited(ids, GATEWAY_READS_AT_ONCE, async (id) => {
        try {
          return decodeSegment(deps.crypto.open(userKey, await deps.arweave.getData(id)));
        } catch (error) {
          failed += 1;
          deps.logger.warn(`memory snapshot ${id} skipped: ${describeError(error)}; its records are read one by one`);
          return [];
        }
      });
      const byId = new Map<string, CachedRecord>();
      for (const row of segments.flat()) byId.set(row.id, row);
      return { rows: [...byId.values()], covered: new Set(byId.keys()), segments: ids.length, failed };
    },
  };
}
