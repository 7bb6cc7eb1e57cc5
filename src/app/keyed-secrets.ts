/**
 * Keys derived from the operator's master key: the AO node's log cipher, the keyed pseudonyms
 * that stand in for process ids and users in public places, the channel inbox's cipher and the
 * Telegram webhook's secret. Each purpose has its own subkey, so one can never be used to
 * attack another.
 */
import sodium from 'libsodium-wrappers';
import { openAead, sealAead } from '../aead.js';
import type { Cipher } from '../cipher.js';

export interface Keyed {
  /** The AO node's log and checkpoints. */
  cipher: Cipher;
  /** Channel messages kept on local disk until answered (the Telegram inbox). */
  inboxCipher: Cipher;
  processPseudonym(pid: string): string;
  conversationPseudonym(userKey: string): string;
  /**
   * The Telegram webhook's secret_token when TELEGRAM_WEBHOOK_SECRET is unset: stable across
   * restarts (same master key, same bot), unknown to anyone without the master key, and new
   * for a new bot token. 43 base64url characters, within what Telegram accepts.
   */
  telegramWebhookSecret(botToken: string): string;
}

export async function deriveKeyed(masterKey: Uint8Array): Promise<Keyed> {
  await sodium.ready;
  const subkey = (purpose: string) => sodium.crypto_generichash(32, sodium.from_string(`permachat:${purpose}`), masterKey);
  const cipherOf = (key: Uint8Array): Cipher => ({
    encrypt: (bytes) => sealAead(key, bytes, null),
    decrypt: (bytes) => openAead(key, bytes, null),
  });
  const processKey = subkey('ao-process-pseudonym');
  const conversationKey = subkey('ao-conversation-pseudonym');
  const webhookKey = subkey('telegram-webhook-secret');
  const pseudonym = (key: Uint8Array, value: string) => sodium.to_hex(sodium.crypto_generichash(16, sodium.from_string(value), key));
  return {
    cipher: cipherOf(subkey('ao-log')),
    inboxCipher: cipherOf(subkey('channel-inbox')),
    processPseudonym: (pid) => pseudonym(processKey, pid),
    conversationPseudonym: (userKey) => pseudonym(conversationKey, userKey),
    telegramWebhookSecret: (botToken) => Buffer.from(sodium.crypto_generichash(32, sodium.from_string(botToken), webhookKey)).toString('base64url'),
  };
}
