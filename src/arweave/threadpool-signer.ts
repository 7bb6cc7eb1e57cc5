/**
 * An ANS-104 signer for an Arweave wallet whose RSA-PSS signature is computed on libuv's thread
 * pool. arbundles' ArweaveSigner signs synchronously: each 4096-bit signature (~8 ms here) held
 * the event loop, once per memory record and per AO log record, and so stalled every stream
 * and request in the meantime. The bytes signed and the scheme are the same; only where the
 * work runs changes.
 */
import { constants, createPrivateKey, sign } from 'node:crypto';
import { ArweaveSigner } from '@dha-team/arbundles';
import type { JWKInterface } from './wallet.js';

export interface RawSigner {
  readonly publicKey: Buffer;
  readonly signatureType: number;
  readonly signatureLength: number;
  readonly ownerLength: number;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** The wallet's RSA-PSS signature of `message` (ANS-104's scheme), computed on the thread pool. */
export function threadpoolSign(wallet: JWKInterface): (message: Uint8Array) => Promise<Uint8Array> {
  const key = createPrivateKey({ key: { ...wallet }, format: 'jwk' });
  return (message) =>
    new Promise((resolve, reject) => {
      // With a callback, node:crypto signs on the thread pool.
      sign('sha256', message, { key, padding: constants.RSA_PKCS1_PSS_PADDING }, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature))));
    });
}

export function threadpoolSigner(wallet: JWKInterface): RawSigner {
  const reference = new ArweaveSigner(wallet);
  return {
    publicKey: reference.publicKey,
    signatureType: reference.signatureType,
    signatureLength: reference.signatureLength,
    ownerLength: reference.ownerLength,
    sign: threadpoolSign(wallet),
  };
}
