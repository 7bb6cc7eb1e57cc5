/**
 * Memory: encryption throughput (libsodium XChaCha20-Poly1305 vs node:crypto AES-256-GCM),
 * durable outbox writes per second (vs plain fsync'd file writes), recall of 1,000 turns
 * warm vs from a cold cache (rebuilt from Arweave), and a cold recall of ten times as many turns
 * with snapshot segments (what a new machine reads: the segments and the records after them).
 */
import { randomBytes, createCipheriv } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ArweaveClient, SignedItem } from '../../arweave/client.js';
import { mapLimited } from '../../concurrency.js';
import type { Logger } from '../../logger.js';
import { createMemoryCrypto } from '../../memory/crypto.js';
import { createMemory } from '../../memory/memory.js';
import { encodeRecord } from '../../memory/records.js';
import { encodeSegment, SNAPSHOT_EVERY } from '../../memory/snapshots.js';
import { memoryTags, snapshotTags } from '../../memory/tags.js';
import { ratio, round, timed } from './stats.js';

const turnOf = (i: number) => ({ turnId: `t${i}`, userText: `bench message ${i} about sailing and the weather`, reply: `reply ${i}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() });

/**
 * Writes `turns` turns of one user straight to the gateway as the memory writes them (records,
 * and a snapshot segment every SNAPSHOT_EVERY), signed in parallel: through the outbox, one by
 * one, 10,000 turns would take minutes of signing before anything is measured.
 */
async function seedHistory(deps: { arweave: ArweaveClient; masterKey: Uint8Array }, userKey: string, turns: number): Promise<void> {
  const crypto = await createMemoryCrypto(deps.masterKey);
  const pseudonym = crypto.pseudonym(userKey);
  for (let from = 0; from < turns; from += SNAPSHOT_EVERY) {
    const count = Math.min(SNAPSHOT_EVERY, turns - from);
    const rows = await mapLimited(Array.from({ length: count }, (_, i) => from + i), 8, async (i) => {
      const sealed = crypto.seal(userKey, encodeRecord({ v: 1, kind: 'turn', ...turnOf(i) }));
      const item = await deps.arweave.signItem(sealed, memoryTags(pseudonym));
      return { item, row: { id: item.id, sealed } };
    });
    for (let at = 0; at < rows.length; at += 100) await deps.arweave.postBundle(rows.slice(at, at + 100).map((r) => r.item));
    if (count === SNAPSHOT_EVERY) {
      const segment: SignedItem = await deps.arweave.signItem(crypto.seal(userKey, encodeSegment(rows.map((r) => r.row))), snapshotTags(pseudonym));
      await deps.arweave.postBundle([segment]);
    }
  }
}

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
  const turn = turnOf;
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
  // Ten times the history, with snapshot segments, read by another new machine.
  const largeTurns = deps.turns * 10;
  await seedHistory(deps, 'bench:long-user', largeTurns);
  const large = await createMemory({ arweave: deps.arweave, masterKey: deps.masterKey, dataDir: path.join(dir, 'cold-large'), logger: deps.logger });
  const largeRecall = await timed(() => large.recall('bench:long-user', 'what about sailing?', { recent: 6, relevant: 4 }));
  const largeCount = (await large.exportUser('bench:long-user')).records.length;
  await large.close();
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
    /** `recall.cold10kMs` with the full bench (10,000 turns); `--quick` measures 1,000. */
    recallColdLargeTurns: largeTurns,
    recallColdLargeMs: round(largeRecall.ms),
    recallColdLargeToColdRatio: ratio(largeRecall.ms, coldRecall.ms),
    recallColdLargeRecords: largeCount,
  };
}
