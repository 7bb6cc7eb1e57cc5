/**
 * MEMORY_KEY's one check: 32 bytes in base64. Used where the configuration is read (so a bad key
 * stops the start at once) and where the key is loaded (for callers that pass one in directly).
 */
import { ConfigError } from '../errors.js';

export function decodeMemoryKey(base64: string): Uint8Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== 32) {
    throw new ConfigError('MEMORY_KEY', `must be 32 bytes in base64 (decoded to ${bytes.length} bytes)`, 'generate one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))"');
  }
  return new Uint8Array(bytes);
}
