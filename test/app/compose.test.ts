// A command composes only the parts it asks for: `memory` starts the gateway and the store, and
// neither loads a model nor starts an AO node; closing stops what it started.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/app/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { dataPaths } from '../../src/config/paths.js';
import { createLogger } from '../../src/logger.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

const listening = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
const exists = (file: string) => access(file).then(() => true, () => false);

/** A stopped server leaves the handle list a few ticks after its close callback: wait for that, up to 5 s. */
async function listeningBackTo(count: number): Promise<number> {
  const deadline = Date.now() + 5000;
  while (listening() !== count && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  return listening();
}

describe('compose', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('compose');
  });
  afterAll(async () => tmp?.remove());

  it('builds memory alone, with a generated key, no model and no AO node, and stops it all', async () => {
    const before = listening();
    const dataDir = path.join(tmp.dir, 'données');
    // A model that does not exist: asking for it would fail the command.
    const config = loadConfig({ DATA_DIR: dataDir, MODEL_PATH: path.join(tmp.dir, 'absent.gguf') }, {}, repoRoot);
    const warnings: string[] = [];
    const parts = compose(config, createLogger({ level: 'warn', write: (line) => warnings.push(line) }), { cwd: repoRoot });
    try {
      const memory = await parts.memory();
      await memory.rememberTurn('telegram:4711', { turnId: 't-1', userText: 'Ich heiße Jürgen 🙂', reply: 'Freut mich, Jürgen!', at: '2026-12-02T10:00:00.000Z' });
      const exported = await memory.exportUser('telegram:4711');
      expect(exported.records.map((record) => ('userText' in record ? record.userText : undefined))).toEqual(['Ich heiße Jürgen 🙂']);
      // Asked twice, the same store.
      expect(await parts.memory()).toBe(memory);
    } finally {
      await parts.close();
    }
    const paths = dataPaths(config.dataDir);
    expect(Buffer.from((await readFile(paths.memoryKey, 'utf8')).trim(), 'base64')).toHaveLength(32);
    expect(warnings.join('\n')).toContain(paths.memoryKey);
    expect(await exists(paths.aoNode.dir)).toBe(false);
    expect(await exists(paths.models)).toBe(false);
    expect(await listeningBackTo(before)).toBe(before);
  });

  it('stops the gateway it started when a later part fails to start', async () => {
    const before = listening();
    const config = loadConfig({ DATA_DIR: path.join(tmp.dir, 'broken'), MODEL_PATH: path.join(tmp.dir, 'absent.gguf') }, {}, repoRoot);
    const parts = compose(config, createLogger({ level: 'error', write: () => undefined }), { cwd: repoRoot });
    await expect(parts.conversation()).rejects.toThrow(/model/i);
    await parts.close();
    expect(await listeningBackTo(before)).toBe(before);
  });
});
