import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel, type LlamaCppModel } from '../../src/inference/llama-cpp.js';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { resolveModelPath } from '../../src/inference/model-source.js';
import { UnavailableError } from '../../src/errors.js';
import type { ChatMessage } from '../../src/inference/types.js';
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

  describe('keeping a conversation\'s sequence between turns', () => {
    const system = { role: 'system' as const, content: 'You are a test. Talk about the sea, the wind and the boats, and remember what people tell you about their day.' };
    const turn1: ChatMessage[] = [system, { role: 'user', content: 'hello, do you like the sea?' }];
    const turn2 = (reply: string): ChatMessage[] => [...turn1, { role: 'assistant' as const, content: reply }, { role: 'user' as const, content: 'and the wind?' }];
    const ask = (messages: ChatMessage[], conversation?: string) =>
      model.generate({ messages, maxTokens: 6, temperature: 0, ...(conversation ? { conversation } : {}) });

    it('evaluates only the new tokens of a follow-up (token meter)', async () => {
      const first = await ask(turn1, 'meter');
      expect(first.evaluatedTokens).toBe(first.promptTokens);
      const followUp = turn2(first.text);
      const kept = await ask(followUp, 'meter');
      // The same prompt from an empty sequence, as before: every token evaluated.
      const full = await ask(followUp);
      expect(full.evaluatedTokens).toBe(full.promptTokens);
      expect(kept.promptTokens).toBe(full.promptTokens);
      // What is new since the first reply: the reply itself (laid out again as history) and the new message.
      const newSinceReply = (kept.promptTokens ?? 0) - (first.promptTokens ?? 0);
      expect(kept.evaluatedTokens).toBeGreaterThan(0);
      expect(kept.evaluatedTokens).toBeLessThanOrEqual(newSinceReply + 2);
      expect(kept.evaluatedTokens).toBeLessThan((full.evaluatedTokens ?? 0) / 2);
      // Reusing the prefix changes nothing in what is generated.
      expect(kept.text).toBe(full.text);
    });

    it('prefills the known part ahead, and the reply evaluates only the rest', async () => {
      const first = await ask(turn1, 'prefill');
      const followUp = turn2(first.text);
      const ahead = await model.prefill(`prefill`, followUp.slice(0, -1));
      expect(ahead.evaluated).toBeGreaterThan(0);
      expect(ahead.evaluated).toBeLessThan(ahead.tokens);
      // Nothing new: nothing evaluated again.
      expect((await model.prefill('prefill', followUp.slice(0, -1))).evaluated).toBe(0);
      const reply = await ask(followUp, 'prefill');
      // The reply's count includes its prefill; the new message is all that was left.
      expect(reply.evaluatedTokens).toBeGreaterThan(ahead.evaluated);
      expect((reply.evaluatedTokens ?? 0) - ahead.evaluated).toBeLessThan((reply.promptTokens ?? 0) - ahead.tokens + 3);
    });

    it('leaves the last reply plan out without evaluating the exchange after it again (token meter)', async () => {
      const notes: ChatMessage = { role: 'system', content: '# What the test knows about Sofía\n- she sails a 22-foot sloop called Wren 🌊' };
      const plan = (tone: string): ChatMessage => ({ role: 'system', content: `# How to answer this message\n- Tone: ${tone}. Length: one or two sentences.` });
      const question: ChatMessage = { role: 'user', content: 'hello, do you like the sea?' };
      const first = await ask([system, notes, plan('warm'), question], 'erase');
      const history: ChatMessage[] = [system, notes, question, { role: 'assistant', content: first.text }];
      const ahead = await model.prefill('erase', history, { idleOnly: true });
      // The same history on an empty sequence: every token, and what keeping only the common prefix would leave to do.
      const fresh = await model.prefill('erase-fresh', history);
      await model.release('erase-fresh');
      const beforePlan = (await model.prefill('erase-prefix', [system, notes])).tokens;
      await model.release('erase-prefix');
      expect(fresh.evaluated).toBe(ahead.tokens);
      // The question and the reply were moved back over the plan, not evaluated again.
      expect(ahead.shifted).toBeGreaterThan(10);
      expect(ahead.evaluated + (ahead.shifted ?? 0)).toBeLessThanOrEqual(ahead.tokens - beforePlan + 2);
      expect(ahead.evaluated).toBeLessThan((ahead.tokens - beforePlan) / 3);
      // The next reply evaluates its own plan and message only.
      const next = await ask([...history, plan('calm'), { role: 'user', content: 'and the wind?' }], 'erase');
      expect((next.evaluatedTokens ?? 0) - ahead.evaluated).toBeLessThanOrEqual((next.promptTokens ?? 0) - ahead.tokens + 2);
    });

    it('gives the least recently used conversation\'s sequence to a new one when all are taken', async () => {
      // Two sequences: a, b, then c takes a's, the least recently used.
      const a = await ask(turn1, 'lru-a');
      const b = await ask(turn1, 'lru-b');
      await ask(turn1, 'lru-c');
      const bAgain = await ask(turn2(b.text), 'lru-b');
      const aAgain = await ask(turn2(a.text), 'lru-a');
      expect(bAgain.evaluatedTokens).toBeLessThan((bAgain.promptTokens ?? 0) / 2);
      expect(aAgain.evaluatedTokens).toBe(aAgain.promptTokens);
    });

    it('does work ahead only for a conversation that still holds its sequence', async () => {
      expect(await model.prefill('ahead-unknown', turn1, { idleOnly: true })).toEqual({ tokens: 0, evaluated: 0 });
      const first = await ask(turn1, 'ahead');
      const ahead = await model.prefill('ahead', turn2(first.text).slice(0, -1), { idleOnly: true });
      expect(ahead.evaluated).toBeGreaterThan(0);
    });

    it('forgets a released conversation: its next turn is evaluated in full', async () => {
      const first = await ask(turn1, 'released');
      await model.release('released');
      const next = await ask(turn2(first.text), 'released');
      expect(next.evaluatedTokens).toBe(next.promptTokens);
      // Releasing one that holds nothing is fine.
      await model.release('never-seen');
    });
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
