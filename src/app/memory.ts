/** Memory for the runtime: the master key (MEMORY_KEY or DATA_DIR/memory.key) and the encrypted store. */
import type { Config } from '../config/config.js';
import type { ArweaveClient } from '../arweave/client.js';
import type { MemoryPort } from '../conversation/ports.js';
import type { Logger } from '../logger.js';
import { loadOrCreateMasterKey } from '../memory/crypto.js';
import { createMemory, type Memory } from '../memory/memory.js';

export interface MemoryHandle {
  port: MemoryPort;
  memory: Memory;
  masterKey: Uint8Array;
  close(): Promise<void>;
}

export async function startMemory(deps: { config: Config; arweave: ArweaveClient; logger: Logger }): Promise<MemoryHandle> {
  const masterKey = await loadOrCreateMasterKey({
    ...(deps.config.MEMORY_KEY ? { memoryKey: deps.config.MEMORY_KEY } : {}),
    dataDir: deps.config.dataDir,
    warn: (line) => deps.logger.warn(line),
  });
  const memory = await createMemory({ arweave: deps.arweave, masterKey, dataDir: deps.config.dataDir, logger: deps.logger, refreshAfterMs: deps.config.MEMORY_REFRESH_SECONDS * 1000 });
  return { port: memory, memory, masterKey, close: () => memory.close() };
}
