/** sha256 digests for ids and integrity checks (nothing secret: keyed ones come from libsodium). */
import { createHash } from 'node:crypto';

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A stable UUID-shaped id (version-5 layout) derived from the text, where elizaOS expects UUIDs. */
export function uuidFrom(text: string): string {
  const hex = sha256Hex(text);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
