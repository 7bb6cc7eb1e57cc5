/**
 * Local checkpoints of process memory, so a restart replays only the messages after the last
 * one instead of every message since the spawn. A checkpoint is an optimisation, never the
 * truth: it is used only when the log still holds its slot with the same hash chain and the
 * module binary is the same; anything else (missing, damaged, from another history) means a
 * full replay. Encrypted with the log's cipher in private mode, like the journal beside it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { writeDurably } from '../../fs/durable-file.js';
import type { Cipher } from '../../cipher.js';

export interface Checkpoint {
  process: string;
  /** The last slot whose evaluation the memory includes. */
  slot: number;
  hashChain: string;
  moduleHash: string;
  memory: Uint8Array;
}

const header = z.object({ v: z.literal(1), process: z.string(), slot: z.number().int().nonnegative(), hashChain: z.string(), moduleHash: z.string() });

export interface CheckpointStore {
  save(checkpoint: Checkpoint): Promise<void>;
  /** The stored checkpoint of a process, or undefined when there is none or it cannot be read. */
  load(pid: string): Promise<Checkpoint | undefined>;
}

export function createCheckpointStore(deps: { dir: string; cipher: Cipher | undefined }): CheckpointStore {
  const file = (pid: string) => path.join(deps.dir, `${Buffer.from(pid).toString('base64url')}.ckpt`);
  return {
    async save(checkpoint) {
      const head = Buffer.from(JSON.stringify({ v: 1, process: checkpoint.process, slot: checkpoint.slot, hashChain: checkpoint.hashChain, moduleHash: checkpoint.moduleHash }));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(head.byteLength);
      // Process memory is mostly zeros: compressed, a few KiB.
      const plain = gzipSync(Buffer.concat([length, head, checkpoint.memory]));
      const bytes = deps.cipher ? deps.cipher.encrypt(plain) : plain;
      await mkdir(deps.dir, { recursive: true });
      // A crash leaves the old checkpoint or the new one, never half of one.
      await writeDurably(file(checkpoint.process), bytes);
    },
    async load(pid) {
      try {
        const stored = new Uint8Array(await readFile(file(pid)));
        const plain = gunzipSync(deps.cipher ? deps.cipher.decrypt(stored) : stored);
        const size = plain.readUInt32BE(0);
        const parsed = header.parse(JSON.parse(plain.subarray(4, 4 + size).toString('utf8')));
        if (parsed.process !== pid) return undefined;
        return { process: parsed.process, slot: parsed.slot, hashChain: parsed.hashChain, moduleHash: parsed.moduleHash, memory: new Uint8Array(plain.subarray(4 + size)) };
      } catch {
        return undefined;
      }
    },
  };
}
