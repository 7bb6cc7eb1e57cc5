/**
 * How log entries are written: a journal line holds one entry; an Arweave record holds the
 * entries one process logged during one upload batch, as JSON, encrypted in private mode, tagged
 * only with a keyed pseudonym of the process (public mode: the process id, plaintext).
 */
import { type Tag } from '../../arweave/tag.js';
import { z } from 'zod';
import type { Cipher } from '../../cipher.js';
import { describeError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { LogEntry } from './types.js';

export const LOG_RECORD_TYPE = 'AO-Log-Record';

const entrySchema = z.object({
  v: z.literal(1),
  process: z.string(),
  slot: z.number().int().nonnegative(),
  timestamp: z.number(),
  blockHeight: z.number(),
  hashChain: z.string(),
  item: z.string(),
  pushKey: z.string().optional(),
  moduleHash: z.string().optional(),
  assignmentSignature: z.string().optional(),
});

export interface LogCodecDeps {
  privateMode: boolean;
  cipher?: Cipher;
  pseudonym?: (pid: string) => string;
  appName: string;
  logger: Logger;
}

/**
 * One record per process per batch: a record's signature (RSA, the log's main cost) and its
 * item overhead (about 1 kB) are paid once for all the entries a process logged meanwhile.
 */
export function recordsOf(batch: LogEntry[]): LogEntry[][] {
  const byProcess = new Map<string, LogEntry[]>();
  for (const entry of batch) {
    const group = byProcess.get(entry.process) ?? [];
    group.push(entry);
    byProcess.set(entry.process, group);
  }
  return [...byProcess.values()];
}

export function createLogCodec(deps: LogCodecDeps) {
  return {
    /** Whether what this codec writes is ciphertext (private mode). */
    encrypts: deps.privateMode,
    encode(entries: LogEntry | LogEntry[]): Uint8Array {
      const bytes = new TextEncoder().encode(JSON.stringify(entries));
      return deps.privateMode ? deps.cipher!.encrypt(bytes) : bytes;
    },
    /** The entries of a journal line or a record; none (and a warning) for one this key cannot open. */
    decode(bytes: Uint8Array, encrypted: boolean): LogEntry[] {
      try {
        if (encrypted && !deps.cipher) throw new Error('encrypted record and no cipher');
        const plain = encrypted ? deps.cipher!.decrypt(bytes) : bytes;
        const json: unknown = JSON.parse(new TextDecoder().decode(plain));
        return Array.isArray(json) ? json.map((entry) => entrySchema.parse(entry)) : [entrySchema.parse(json)];
      } catch (error) {
        // A record we cannot open is not ours (or another key's): skip it, do not stop recovery.
        deps.logger.warn(`skipping an unreadable AO log record: ${describeError(error)}`);
        return [];
      }
    },
    recordTags(process: string): Tag[] {
      const stream = deps.privateMode ? { name: 'Log-Stream', value: deps.pseudonym!(process) } : { name: 'Process', value: process };
      return [
        { name: 'App-Name', value: deps.appName },
        { name: 'Type', value: LOG_RECORD_TYPE },
        stream,
        { name: 'Encrypted', value: deps.privateMode ? 'true' : 'false' },
        { name: 'Content-Type', value: 'application/octet-stream' },
      ];
    },
    /** The Arweave query for this node's records. */
    recordFilter(owner: string) {
      return { tags: [{ name: 'App-Name', values: [deps.appName] }, { name: 'Type', values: [LOG_RECORD_TYPE] }], owners: [owner] };
    },
  };
}

export type LogCodec = ReturnType<typeof createLogCodec>;
