// The real-shape model's architecture (qwen3), chat template and vocabulary, checked on a copy
// with small layers (the real one is about 1 GB and takes 15 s to write: benchmarks only).
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel, type LlamaCppModel } from '../../src/inference/llama-cpp.js';
import { QWEN3_1_7B, realShapeModelPath, writeRealShapeModel } from '../../src/tools/test-model/real-shape-model.js';
import { loadCharacterFile } from '../../src/character/load.js';
import { buildPrompt } from '../../src/prompt/build-prompt.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

describe('the real-shape test model (small layers)', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let model: LlamaCppModel;
  let file: string;
  const logged: string[] = [];
  beforeAll(async () => {
    tmp = await makeTmpDir('real-shape');
    file = path.join(tmp.dir, 'small-qwen3.gguf');
    await writeRealShapeModel(file, { ...QWEN3_1_7B, layers: 1, embedding: 64, heads: 2, kvHeads: 1, headDim: 32, feedForward: 128 });
    model = await createLlamaCppModel({ modelPath: file, gpu: 'off', threads: 1, contextSize: 2048, sequences: 1, logger: (line) => logged.push(line) });
  });
  afterAll(async () => {
    await model?.close();
    await tmp?.remove();
  });

  it('is a qwen3 GGUF with the real vocabulary size, tied embeddings and Q4_0 weights', async () => {
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(bytes.includes(Buffer.from('qwen3.attention.head_count_kv'))).toBe(true);
    // A tensor named output.weight (its name preceded by its length), not blk.N.attn_output.weight.
    const named = (name: string) => Buffer.concat([Buffer.from(new BigUint64Array([BigInt(name.length)]).buffer), Buffer.from(name)]);
    expect(bytes.includes(named('output_norm.weight'))).toBe(true);
    expect(bytes.includes(named('output.weight'))).toBe(false);
    // 151,936 rows of 64 weights as Q4_0 (18 bytes a block of 32) are most of the file.
    expect(bytes.byteLength).toBeGreaterThan((151_936 * 64 * 18) / 32);
  });

  it('resolves the Qwen chat wrapper from the template, as the default model does', () => {
    expect(logged.join('\n')).toContain('chat wrapper: Qwen');
  });

  it('tokenizes English prompts at about four characters a token, and back to the same text', async () => {
    const character = await loadCharacterFile(path.join(repoRoot, 'characters', 'eliza.json'), { pluginExists: () => true });
    const messages = buildPrompt({
      character, userText: 'I had a long day at work and I am tired.', seed: 's',
      recent: [{ role: 'user', text: 'hello, how are you today?' }, { role: 'assistant', text: 'I am well, thank you. What is on your mind?' }],
      recalled: [], facts: ['name: the user is called Alice'], plan: { tone: 'warm', length: 'short', acknowledge: ['the user is tired'] },
    });
    const result = await model.generate({ messages, maxTokens: 1, temperature: 0 });
    const chars = messages.reduce((n, m) => n + m.content.length, 0);
    // The template's own tokens count too: a little under the text's rate.
    expect(chars / (result.promptTokens ?? chars)).toBeGreaterThan(3.3);
  });

  it('is generated under DATA_DIR/models/test, out of the folder the service takes its model from', () => {
    expect(realShapeModelPath('/data')).toMatch(/^\/data\/models\/test\/.+\.gguf$/);
  });
});
