/**
 * A user key names one person on one channel: `<channel>:<id>`, e.g. `cli:alice`, `web:3f9a…`,
 * `telegram:12345`. Memory records on Arweave are tagged with its pseudonym, so its text must
 * never change. The id may hold colons itself (a Telegram group member is `-100987:12345`):
 * the channel is what comes before the first colon.
 */
import { InputError } from '../errors.js';
import type { ChannelName } from './types.js';

declare const userKeyBrand: unique symbol;
/** Built by userKeyOf or parseUserKey only, so that a bare id cannot pass for a key. */
export type UserKey = string & { readonly [userKeyBrand]: true };

const CHANNELS: readonly ChannelName[] = ['cli', 'telegram', 'web'];

const isChannel = (value: string): value is ChannelName => (CHANNELS as readonly string[]).includes(value);

export function userKeyOf(channel: ChannelName, id: string): UserKey {
  return `${channel}:${id}` as UserKey;
}

/** The channel and id of a key such as `telegram:12345`, or undefined for text that is not one. */
export function readUserKey(key: string): { channel: ChannelName; id: string; key: UserKey } | undefined {
  const colon = key.indexOf(':');
  if (colon < 0) return undefined;
  const channel = key.slice(0, colon);
  const id = key.slice(colon + 1);
  return isChannel(channel) && id.length > 0 ? { channel, id, key: key as UserKey } : undefined;
}

/** Like readUserKey, but text that is not a key is rejected, saying how to write one. */
export function parseUserKey(key: string): { channel: ChannelName; id: string; key: UserKey } {
  const parts = readUserKey(key);
  if (parts) return parts;
  throw new InputError(`${JSON.stringify(key)} is not a user key`, { hint: `write <channel>:<id> with a channel of ${CHANNELS.join(', ')}, e.g. cli:alice or telegram:12345` });
}
