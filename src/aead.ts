/**
 * The one sealed-bytes format of this project: a random XChaCha20-Poly1305 (IETF AEAD) nonce,
 * then the ciphertext with its tag. Memory records and the keyed ciphers (AO log, inbox) both
 * write it; the keys and the additional data are the callers'. Call after `sodium.ready`.
 */
import sodium from 'libsodium-wrappers';

export const aeadNonceBytes = (): number => sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

export function sealAead(key: Uint8Array, plaintext: Uint8Array, additional: Uint8Array | null): Uint8Array {
  const NONCE = aeadNonceBytes();
  const nonce = sodium.randombytes_buf(NONCE);
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, additional, null, nonce, key);
  const out = new Uint8Array(NONCE + sealed.length);
  out.set(nonce);
  out.set(sealed, NONCE);
  return out;
}

/** Throws (libsodium's error) when the bytes were not sealed under this key and additional data, or were altered. */
export function openAead(key: Uint8Array, sealed: Uint8Array, additional: Uint8Array | null): Uint8Array {
  const NONCE = aeadNonceBytes();
  return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(NONCE), additional, sealed.subarray(0, NONCE), key);
}
