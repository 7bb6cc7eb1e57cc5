/** Arweave JWK wallets: loaded from a file, or generated once into local state. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Arweave from 'arweave';
import type { JWKInterface } from 'arweave/node/lib/wallet.js';
import { InputError } from '../errors.js';

export type { JWKInterface };

function isJwk(value: unknown): value is JWKInterface {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return jwk.kty === 'RSA' && typeof jwk.n === 'string' && typeof jwk.d === 'string';
}

export async function readWallet(file: string): Promise<JWKInterface> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read the Arweave wallet ${file}`, { cause: error, hint: 'give the path of a JWK JSON file' });
  }
  if (!isJwk(parsed)) throw new InputError(`${file} is not an Arweave RSA JWK wallet`, { hint: 'export the wallet as a JWK JSON file' });
  return parsed;
}

/** Reads `file` when it exists; otherwise generates a wallet there (mode 0600). */
export async function loadOrCreateWallet(file: string): Promise<JWKInterface> {
  try {
    return await readWallet(file);
  } catch (error) {
    const cause = error instanceof InputError ? error.cause : undefined;
    const missing = typeof cause === 'object' && cause !== null && (cause as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing) throw error;
  }
  const jwk = await Arweave.crypto.generateJWK();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

/** The wallet's Arweave address (base64url of the sha256 of its public modulus). */
export function walletAddress(wallet: JWKInterface): Promise<string> {
  return Arweave.init({}).wallets.jwkToAddress(wallet);
}
