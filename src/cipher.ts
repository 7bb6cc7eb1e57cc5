/**
 * A symmetric authenticated cipher under one key: what seals the AO node's log and checkpoints
 * and the Telegram inbox on disk. Parts take this shape and are handed a key-bound instance
 * (see app/keyed-secrets.ts), so none of them holds or derives keys itself.
 */
export interface Cipher {
  encrypt(bytes: Uint8Array): Uint8Array;
  /** Throws when the bytes were not sealed under this key or were altered. */
  decrypt(bytes: Uint8Array): Uint8Array;
}
