/** sha256 digests for ids, integrity checks and comparing secrets (keyed digests come from libsodium). */
import { createHash, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A stable UUID-shaped id (version-5 layout) derived from the text, where elizaOS expects UUIDs. */
export function uuidFrom(text: string): string {
  const hex = sha256Hex(text);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Whether a presented secret (a header, a token) is the expected one, in constant time: the
 * digests are compared, so not even the length leaks. An empty expected secret matches nothing.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}
