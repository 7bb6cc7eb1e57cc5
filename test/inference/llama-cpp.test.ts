import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel, type LlamaCppModel } from '../../src/inference/llama-cpp.js';
import { writeTestModel } from '../../src/inference/test-model.js';
import { resolveModelPath } from '../../src/inference/model-source.js';
import { UnavailableError } from '../../src/errors.js';
import { makeTmpDir } from '../support/tmp-dir.js';

describe('node-llama-cpp with the generated tiny model', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let model: LlamaCppModel;
  let modelPath: string;

  beforeAll(async () => {
    tmp = await makeTmpDir('llama');
    modelPath = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(modelPath);
    model = await createLlamaCppModel({ modelPath, gpu: 'auto', threads: 1, contextSize: 1024, sequences: 2 });
  });
  afterAll(async () => {
    await model?.close();
    await tmp?.remove();
  });

  it('writes the same model bytes every time', async () => {
    const again = path.join(tmp.dir, 'again.gguf');
    await writeTestModel(again);
    expect(Buffer.compare(await readFile(modelPath), await readFile(again))).toBe(0);
    expect((await readFile(modelPath)).subarray(0, 4).toString('ascii')).toBe('GGUF');
  });

  it('generates through the real path, streaming, deterministically at temperature 0', async () => {
    const messages = [
      { role: 'system' as const, content: 'You are a test.' },
      { role: 'user' as const, content: 'hello, do you like the sea?' },
    ];
    const chunks: string[] = [];
    const first = await model.generate({ messages, maxTokens: 16, temperature: 0, onToken: (t) => chunks.push(t) });
    const second = await model.generate({ messages, maxTokens: 16, temperature: 0 });
    expect(first.tokens).toBeGreaterThan(0);
    expect(first.text.length).toBeGreaterThan(0);
    expect(chunks.join('')).toBe(first.text);
    expect(second.text).toBe(first.text);
    expect(first.firstTokenMs).toBeDefined();
    expect(typeof model.gpu === 'string' || model.gpu === false).toBe(true);
  });

  it('serves concurrent conversations from one loaded model', async () => {
    const ask = (content: string) => model.generate({ messages: [{ role: 'user', content }], maxTokens: 8, temperature: 0 });
    const results = await Promise.all([ask('one'), ask('two'), ask('three')]);
    for (const result of results) expect(result.tokens).toBeGreaterThan(0);
  });

  it('fails clearly for a missing model file, and offline without one', async () => {
    await expect(createLlamaCppModel({ modelPath: path.join(tmp.dir, 'nope.gguf'), gpu: 'off', threads: 1, contextSize: 512, sequences: 1 }))
      .rejects.toBeInstanceOf(UnavailableError);
    const offline = await resolveModelPath({ modelUri: 'hf:nobody/none-GGUF:Q4_K_M', modelsDir: path.join(tmp.dir, 'models'), log: () => undefined, connectTimeoutMs: 3000 })
      .catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(UnavailableError);
    expect((offline as UnavailableError).hint).toMatch(/MODEL_PATH/);
  });
});
