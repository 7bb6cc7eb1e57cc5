import { defineConfig } from 'vitest/config';

// Two cores on CI: at most two test files at once; real servers (arlocal, the AO node,
// node-llama-cpp) need generous but bounded timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // Building the word vectors' cache reads a 307 MB file (seconds of CPU) in each new DATA_DIR:
    // tests of recall by meaning turn it on themselves (test/memory/word-vectors.test.ts).
    env: { MEMORY_EMBEDDINGS: 'off' },
  },
});
