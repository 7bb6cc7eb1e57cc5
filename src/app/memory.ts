/** Memory for the commands: the encrypted store over Arweave, under the keyring's memory key. */
import type { Config } from '../config/config.js';
import type { ArweaveClient } from '../arweave/client.js';
import type { Logger } from '../logger.js';
import { createMemory, type Memory } from '../memory/memory.js';
import { configuredWordVectors } from '../memory/word-vectors-source.js';

export async function startMemory(deps: { config: Config; arweave: ArweaveClient; memoryKey: Uint8Array; logger: Logger }): Promise<Memory> {
  return createMemory({ arweave: deps.arweave, masterKey: deps.memoryKey, dataDir: deps.config.dataDir, logger: deps.logger, refreshAfterMs: deps.config.MEMORY_REFRESH_SECONDS * 1000, wordVectors: configuredWordVectors(deps.config, deps.logger) });
}
