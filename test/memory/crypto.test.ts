import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCrypto, loadOrCreateMasterKey, RecordUnreadableError } from '../../src/memory/crypto.js';
import { decodeRecord, encodeRecord } from '../../src/memory/records.js';
import { createTurnRanker } from '../../src/memory/relevance.js';
import { makeTmpDir } from '../support/tmp-dir.js';

const turnOf = (userText: string, i: number) => ({ v: 1 as const, kind: 'turn' as const, turnId: `t${i}`, userText, reply: 'ok', at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });

describe('memory crypto and records', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('memory-crypto');
  });
  afterAll(async () => {
    await tmp.remove();
  });

  it('seals per user: another user, another master key, or a flipped byte cannot open it', async () => {
    const crypto = await createMemoryCrypto(new Uint8Array(32).fill(1));
    const other = await createMemoryCrypto(new Uint8Array(32).fill(2));
    const plain = new TextEncoder().encode('hello sailing');
    const sealed = crypto.seal('cli:alice', plain);
    expect(new TextDecoder().decode(crypto.open('cli:alice', sealed))).toBe('hello sailing');
    expect(() => crypto.open('cli:bob', sealed)).toThrow(RecordUnreadableError);
    expect(() => other.open('cli:alice', sealed)).toThrow(RecordUnreadableError);
    const flipped = sealed.slice();
    flipped[30] = (flipped[30] ?? 0) ^ 1;
    expect(() => crypto.open('cli:alice', flipped)).toThrow(RecordUnreadableError);
    // Random nonce: sealing twice gives different bytes.
    expect(Buffer.from(crypto.seal('cli:alice', plain)).equals(Buffer.from(sealed))).toBe(false);
  });

  it('pseudonyms are stable per master key, distinct per user, and hide the user id', async () => {
    const a = await createMemoryCrypto(new Uint8Array(32).fill(1));
    const b = await createMemoryCrypto(new Uint8Array(32).fill(2));
    expect(a.pseudonym('cli:alice')).toBe(a.pseudonym('cli:alice'));
    expect(a.pseudonym('cli:alice')).not.toBe(a.pseudonym('cli:bob'));
    expect(a.pseudonym('cli:alice')).not.toBe(b.pseudonym('cli:alice'));
    expect(a.pseudonym('cli:alice')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('loads MEMORY_KEY, else creates DATA_DIR/memory.key (0600) with a loud notice, then reuses it', async () => {
    const given = Buffer.alloc(32, 9).toString('base64');
    expect(Buffer.from(await loadOrCreateMasterKey({ memoryKey: given, dataDir: tmp.dir, warn: () => undefined })).toString('base64')).toBe(given);
    await expect(loadOrCreateMasterKey({ memoryKey: 'c2hvcnQ=', dataDir: tmp.dir, warn: () => undefined })).rejects.toThrow(/32 bytes/);
    const warnings: string[] = [];
    const created = await loadOrCreateMasterKey({ dataDir: tmp.dir, warn: (l) => warnings.push(l) });
    expect(warnings.join('\n')).toMatch(/BACK IT UP/);
    const file = path.join(tmp.dir, 'memory.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(Buffer.from(created).toString('base64'));
    const again = await loadOrCreateMasterKey({ dataDir: tmp.dir, warn: (l) => warnings.push(l) });
    expect(Buffer.from(again).equals(Buffer.from(created))).toBe(true);
    expect(warnings).toHaveLength(1);
  });

  it('decodes known versions and rejects unknown ones', () => {
    const turn = { v: 1 as const, kind: 'turn' as const, turnId: 't1', userText: 'hi', reply: 'hello', at: '2026-01-01T00:00:00.000Z' };
    expect(decodeRecord(encodeRecord(turn))).toEqual(turn);
    expect(() => decodeRecord(new TextEncoder().encode(JSON.stringify({ ...turn, v: 99 })))).toThrow(/version 99/);
    expect(() => decodeRecord(new TextEncoder().encode(JSON.stringify({ v: 1, kind: 'turn' })))).toThrow();
  });

  it('ranks lexically relevant turns first and returns nothing for unrelated queries', () => {
    const rank = createTurnRanker();
    const turns = ['the weather is nice', 'I love sailing on the lake', 'my cat sleeps'].map((userText, i) => turnOf(userText, i));
    // The sailing turn first; its neighbour may follow with a share of its score.
    expect(rank('do you remember my sailing trip?', turns, 2)[0]).toBe(1);
    expect(rank('quantum', turns, 2)).toEqual([]);
    expect(rank('sailing', [], 2)).toEqual([]);
  });

  it('ranks a growing history as a fresh ranker over all of it would', () => {
    const rank = createTurnRanker();
    const words = ['sail', 'boat', 'storm', 'harbour', 'cat', 'lake', 'wind', 'map', 'rope', 'tide'];
    const turns = Array.from({ length: 120 }, (_, i) => turnOf(`${words[i % 10]} ${words[(i * 7) % 10]} and ${words[(i * 3) % 10]}`, i));
    for (const upTo of [10, 60, 120]) {
      const history = turns.slice(0, upTo);
      for (const query of ['storm at the harbour', 'the cat and the rope', 'wind']) {
        expect(rank(query, history, 4)).toEqual(createTurnRanker()(query, history, 4));
      }
    }
  });
});
