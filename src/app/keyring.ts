/**
 * The operator's master key, loaded once per command (MEMORY_KEY, else DATA_DIR/memory.key, else
 * a new key written there) and handed out in pieces: each part gets the key, or the function of
 * it, that it needs and nothing more. Only the memory store gets the master key itself: it
 * derives each user's key and pseudonym from it under purposes of its own.
 */
import type { Config } from '../config/config.js';
import { loadOrCreateMasterKey } from '../memory/crypto.js';
import { deriveKeyed, type Keyed } from './keyed-secrets.js';

/** What the embedded AO node seals its log and checkpoints with, and names processes by. */
export type AoKeys = Pick<Keyed, 'cipher' | 'processPseudonym'>;
/** What the channels keep their inbox sealed with, and the Telegram webhook's derived secret. */
export type ChannelKeys = Pick<Keyed, 'inboxCipher' | 'telegramWebhookSecret'>;

export interface Keyring {
  /** The memory store's root key. */
  memory: Uint8Array;
  ao: AoKeys;
  channels: ChannelKeys;
  /** What AO messages carry instead of a user id. */
  conversationPseudonym: Keyed['conversationPseudonym'];
}

export async function loadKeyring(config: Pick<Config, 'MEMORY_KEY' | 'dataDir'>, warn: (line: string) => void): Promise<Keyring> {
  const masterKey = await loadOrCreateMasterKey({ ...(config.MEMORY_KEY ? { memoryKey: config.MEMORY_KEY } : {}), dataDir: config.dataDir, warn });
  const keyed = await deriveKeyed(masterKey);
  return {
    memory: masterKey,
    ao: { cipher: keyed.cipher, processPseudonym: keyed.processPseudonym },
    channels: { inboxCipher: keyed.inboxCipher, telegramWebhookSecret: keyed.telegramWebhookSecret },
    conversationPseudonym: keyed.conversationPseudonym,
  };
}
