/**
 * Memory encryption with libsodium: XChaCha20-Poly1305 (IETF AEAD) under a key per user,
 * derived from the operator's master key. The additional data binds each record to its
 * user's pseudonym and format version, so a record copied to another user fails to open.
 * Pseudonyms are keyed hashes: stable, but nobody without the master key can link them to a user.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sodium from 'libsodium-wrappers';
import { aeadNonceBytes, openAead, sealAead } from '../aead.js';
import { dataPaths } from '../config/paths.js';
import { ConfigError, PermachatError } from '../errors.js';
import { decodeMemoryKey } from './memory-key.js';

export class RecordUnreadableError extends PermachatError {
  constructor(message: string) {
    super('RECORD_UNREADABLE', message, { hint: 'the record was tampered with, or belongs to another user or another master key' });
  }
}

export interface MemoryCrypto {
  pseudonym(userKey: string): string;
  seal(userKey: string, plaintext: Uint8Array): Uint8Array;
  open(userKey: string, sealed: Uint8Array): Uint8Array;
}

const FORMAT = 1;

export async function createMemoryCrypto(masterKey: Uint8Array): Promise<MemoryCrypto> {
  await sodium.ready;
  const subkey = (purpose: string) => sodium.crypto_generichash(32, sodium.from_string(`permachat:memory:${purpose}`), masterKey);
  const pseudonymKey = subkey('pseudonym');
  const userRoot = subkey('user-keys');
  const keys = new Map<string, Uint8Array>();
  const keyFor = (userKey: string) => {
    let key = keys.get(userKey);
    if (!key) {
      key = sodium.crypto_generichash(32, sodium.from_string(userKey), userRoot);
      keys.set(userKey, key);
    }
    return key;
  };
  const pseudonym = (userKey: string) => sodium.to_hex(sodium.crypto_generichash(16, sodium.from_string(userKey), pseudonymKey));
  const additional = (userKey: string) => sodium.from_string(`permachat-memory:v${FORMAT}:${pseudonym(userKey)}`);
  return {
    pseudonym,
    seal: (userKey, plaintext) => sealAead(keyFor(userKey), plaintext, additional(userKey)),
    open(userKey, sealed) {
      if (sealed.length <= aeadNonceBytes()) throw new RecordUnreadableError('record too short');
      try {
        return openAead(keyFor(userKey), sealed, additional(userKey));
      } catch {
        throw new RecordUnreadableError('record failed authentication');
      }
    },
  };
}

/**
 * MEMORY_KEY when given; else DATA_DIR/memory.key; else a new key written there (mode 0600)
 * with a loud notice — losing it means losing the ability to read every memory.
 */
export async function loadOrCreateMasterKey(opts: { memoryKey?: string; dataDir: string; warn: (line: string) => void }): Promise<Uint8Array> {
  if (opts.memoryKey) return decodeMemoryKey(opts.memoryKey);
  const file = dataPaths(opts.dataDir).memoryKey;
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length !== 32) throw new ConfigError('MEMORY_KEY', `${file} does not hold a 32-byte base64 key`, 'restore the file from your backup, or set MEMORY_KEY');
    return new Uint8Array(key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await sodium.ready;
  const key = sodium.randombytes_buf(32);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${Buffer.from(key).toString('base64')}\n`, { mode: 0o600 });
  opts.warn(
    [
      '',
      '**************************************************************************',
      `A new memory master key was generated: ${file}`,
      'BACK IT UP NOW. Every memory on Arweave is encrypted with it; without it,',
      'nobody (you included) can ever read those memories again. To run on another',
      'machine, copy this file there or set MEMORY_KEY to its contents.',
      '**************************************************************************',
    ].join('\n'),
  );
  return key;
}
