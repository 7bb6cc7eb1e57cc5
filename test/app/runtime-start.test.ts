// A start that fails part way (here: no model) stops what had already started: the embedded
// Arweave gateway must not stay listening on its port with its database open.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

const listening = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;

describe('runtime start that fails', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('runtime-start');
  });
  afterAll(async () => tmp?.remove());

  it('leaves no embedded gateway running when the model cannot be loaded', async () => {
    const before = listening();
    const config = loadConfig({ DATA_DIR: path.join(tmp.dir, 'data'), MODEL_PATH: path.join(tmp.dir, 'missing.gguf') }, {}, repoRoot);
    const error = await createRuntime(config, createLogger({ level: 'error', write: () => undefined }), { cwd: repoRoot }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/model/i);
    // Stopped servers leave the handle list on a later tick.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listening()).toBe(before);
  });
});
