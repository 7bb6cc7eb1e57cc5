/**
 * Memory: encryption throughput (libsodium XChaCha20-Poly1305 vs node:crypto AES-256-GCM),
 * durable outbox writes per second (vs plain fsync'd file writes), and recall of 1,000 turns
 * warm vs from a cold cache (rebuilt from Arweave).
 */
import { randomBytes, createCipheriv } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ArweaveClient } from '../arweave/client.js';
import type { Logger } from '../logger.js';
import { createMemoryCrypto } from '../memory/crypto.js';
import { createMemory } from '../memory/memory.js';
import { ratio, round, timed } from './stats.js';

export async function benchMemory(deps: { dataDir: string; arweave: ArweaveClient; masterKey: Uint8Array; logger: Logger; turns: number }) {
  // Encryption: 16 MB in 16 KB records.
  const crypto = await createMemoryCrypto(deps.masterKey);
  const record = randomBytes(16 * 1024);
  const rounds = 1024;
  const sealed = await timed(async () => {
    for (let i = 0; i < rounds; i++) crypto.seal('bench:user', record);
  });
  const key = randomBytes(32);
  const aes = await timed(async () => {
    for (let i = 0; i < rounds; i++) {
      const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
      cipher.update(record);
      cipher.final();
    }
  });
  const mb = (record.length * rounds) / (1024 * 1024);

  // Outbox writes vs plain fsync'd writes of the same size.
  const dir = path.join(deps.dataDir, 'bench-memory');
  await rm(dir, { recursive: true, force: true });
  const memory = await createMemory({ arweave: deps.arweave, masterKey: deps.masterKey, dataDir: dir, logger: deps.logger, outbox: { batchDelayMs: 20 } });
  const turn = (i: number) => ({ turnId: `t${i}`, userText: `bench message ${i} about sailing and the weather`, reply: `reply ${i}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() });
  const writes = await timed(async () => {
    for (let i = 0; i < deps.turns; i++) await memory.rememberTurn('bench:user', turn(i));
  });
  await mkdir(path.join(dir, 'plain'), { recursive: true });
  const plain = await timed(async () => {
    for (let i = 0; i < deps.turns; i++) {
      const handle = await open(path.join(dir, 'plain', `${i}`), 'w');
      await handle.writeFile(Buffer.from(JSON.stringify(turn(i))));
      await handle.sync();
      await handle.close();
    }
  });
  const drained = await timed(() => memory.flush(120_000));
  const warm = await timed(() => memory.recall('bench:user', 'what about sailing?', { recent: 6, relevant: 4 }));
  const again = await timed(() => memory.recall('bench:user', 'what about sailing?', { recent: 6, relevant: 4 }));
  await memory.close();
  // Cold: a fresh machine with only the key — every record read back from Arweave.
  const cold = await createMemory({ arweave: deps.arweave, masterKey: deps.masterKey, dataDir: path.join(dir, 'cold'), logger: deps.logger });
  const coldRecall = await timed(() => cold.recall('bench:user', 'what about sailing?', { recent: 6, relevant: 4 }));
  await cold.close();
  return {
    turns: deps.turns,
    encryptMBps: round(mb / (sealed.ms / 1000), 1),
    aesGcmBaselineMBps: round(mb / (aes.ms / 1000), 1),
    encryptRatio: ratio(mb / (sealed.ms / 1000), mb / (aes.ms / 1000)),
    outboxWritesPerSecond: round(deps.turns / (writes.ms / 1000), 1),
    plainFsyncWritesPerSecond: round(deps.turns / (plain.ms / 1000), 1),
    outboxWriteRatio: ratio(deps.turns / (writes.ms / 1000), deps.turns / (plain.ms / 1000)),
    drainToArweaveMs: round(drained.ms),
    drained: drained.result,
    recallWarmMs: round(Math.min(warm.ms, again.ms)),
    recallColdMs: round(coldRecall.ms),
    recallColdToWarmRatio: ratio(coldRecall.ms, Math.min(warm.ms, again.ms)),
    recalledRecent: coldRecall.result.recent.length,
  };
}
