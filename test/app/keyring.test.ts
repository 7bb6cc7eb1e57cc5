import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeyed } from '../../src/app/keyed-secrets.js';
import { loadKeyring } from '../../src/app/keyring.js';
import { dataPaths } from '../../src/config/paths.js';
import { makeTmpDir } from '../support/tmp-dir.js';

/** Every byte array reachable from a value: where a raw key could be handed out. */
function byteArrays(value: unknown, seen = new Set<unknown>()): Uint8Array[] {
  if (value instanceof Uint8Array) return [value];
  if (!value || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  return Object.values(value).flatMap((inner) => byteArrays(inner, seen));
}

describe('keyring', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('keyring');
  });
  afterAll(async () => tmp?.remove());

  it('derives the same pieces as before from MEMORY_KEY, and hands the raw key to the memory alone', async () => {
    const master = new Uint8Array(32).fill(0x2a);
    const keyring = await loadKeyring({ MEMORY_KEY: Buffer.from(master).toString('base64'), dataDir: path.join(tmp.dir, 'unused') }, () => undefined);
    const keyed = await deriveKeyed(master);
    expect(keyring.memory).toEqual(master);
    expect(keyring.conversationPseudonym('telegram:4711')).toBe(keyed.conversationPseudonym('telegram:4711'));
    expect(keyring.ao.processPseudonym('pid-ünïcode-🐙')).toBe(keyed.processPseudonym('pid-ünïcode-🐙'));
    expect(keyring.channels.telegramWebhookSecret('123456:AAbot')).toBe(keyed.telegramWebhookSecret('123456:AAbot'));
    const sealed = keyring.ao.cipher.encrypt(new TextEncoder().encode('Generation: ответ готов'));
    expect(new TextDecoder().decode(keyed.cipher.decrypt(sealed))).toBe('Generation: ответ готов');
    expect(byteArrays(keyring.ao)).toEqual([]);
    expect(byteArrays(keyring.channels)).toEqual([]);
  });

  it('generates the key into DATA_DIR once, with a notice, and finds it there the next time', async () => {
    const dataDir = path.join(tmp.dir, 'fresh');
    const notices: string[] = [];
    const first = await loadKeyring({ MEMORY_KEY: undefined, dataDir }, (line) => notices.push(line));
    expect(notices.join('\n')).toContain(dataPaths(dataDir).memoryKey);
    const second = await loadKeyring({ MEMORY_KEY: undefined, dataDir }, (line) => notices.push(`again: ${line}`));
    expect(notices.some((line) => line.startsWith('again:'))).toBe(false);
    expect(second.memory).toEqual(first.memory);
    expect(Buffer.from((await readFile(dataPaths(dataDir).memoryKey, 'utf8')).trim(), 'base64')).toEqual(Buffer.from(first.memory));
  });
});
