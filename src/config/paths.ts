/**
 * The whole DATA_DIR layout. One convention: each part is given the folder or file it owns from
 * here; a part that keeps several files in its folder (memory, the AO node) takes their names
 * from the function of its folder below. The names are those earlier versions wrote, so an
 * existing DATA_DIR is found as it is.
 */
import path from 'node:path';

/**
 * Where a part sets aside the files of its folder that it cannot read: `unreadable/` in that
 * folder, each under its own name, for the operator to look at; never read again.
 */
export function unreadableDir(dir: string): string {
  return path.join(dir, 'unreadable');
}

/** What the memory store keeps in the folder it is given (DATA_DIR, or a scratch one in benchmarks). */
export interface MemoryPaths {
  /** Decrypted-record cache, one file per user pseudonym; losable, rebuilt from Arweave. */
  cache: string;
  /** Sealed, signed records not yet on Arweave; must survive a crash. */
  outbox: string;
}

export function memoryPaths(dir: string): MemoryPaths {
  return { cache: path.join(dir, 'memory', 'cache'), outbox: path.join(dir, 'memory', 'outbox') };
}

/** What the embedded AO node keeps in the folder it is given. */
export interface AoNodePaths {
  /** Sealed process states, one file per process. */
  checkpoints: string;
  /** The message log's journal, one encoded entry per line. */
  journal: string;
  /** Which journal entries are on Arweave already. */
  receipts: string;
}

export function aoNodePaths(dir: string): AoNodePaths {
  return {
    checkpoints: path.join(dir, 'checkpoints'),
    journal: path.join(dir, 'ao-node', 'log.jsonl'),
    receipts: path.join(dir, 'ao-node', 'uploaded.jsonl'),
  };
}

export interface DataPaths {
  /** DATA_DIR itself. */
  root: string;
  /** The generated master key when MEMORY_KEY is unset: back it up. */
  memoryKey: string;
  /** The generated Arweave wallet when ARWEAVE_WALLET is unset. */
  wallet: string;
  /** The embedded Arweave network's database (arlocal). */
  arweave: string;
  memory: MemoryPaths;
  /** Telegram messages received and not yet answered, sealed. */
  telegramInbox: string;
  /** The embedded AO node's folder, its wallet (the processes' Authority) and its files. */
  aoNode: { dir: string; wallet: string } & AoNodePaths;
  /** The AO processes spawned so far, per network (`deploy` and the embedded node). */
  aoDeployments: string;
  /** Downloaded models; the service takes the first model file at the top of it. */
  models: string;
  /** Generated test models, in a folder of their own so the service never picks one up. */
  testModels: string;
  /** Word vectors for recall (MEMORY_EMBEDDINGS), cached in a compact form read at start. */
  wordVectors: string;
  /** A scratch folder for `eval memory`, removed when done. */
  evalScratch(pid: number): string;
}

export function dataPaths(dataDir: string): DataPaths {
  const root = dataDir;
  const aoDir = path.join(root, 'ao');
  return {
    root,
    memoryKey: path.join(root, 'memory.key'),
    wallet: path.join(root, 'wallet.json'),
    arweave: path.join(root, 'arweave'),
    memory: memoryPaths(root),
    telegramInbox: path.join(root, 'telegram', 'inbox'),
    aoNode: { dir: aoDir, wallet: path.join(aoDir, 'node-wallet.json'), ...aoNodePaths(aoDir) },
    aoDeployments: path.join(root, 'ao-processes.json'),
    models: path.join(root, 'models'),
    testModels: path.join(root, 'models', 'test'),
    wordVectors: path.join(root, 'word-vectors'),
    evalScratch: (pid) => path.join(root, `eval-memory-${pid}`),
  };
}
