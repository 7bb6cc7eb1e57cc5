// Turn after turn, a conversation's prompt extends the last one, the model is asked to evaluate
// the known part ahead while recall and the AO analysis run, and /reset and /forget let go of
// what RAM holds of the conversation. The last test runs the tiny generated model for real.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationService } from '../../src/conversation/service.js';
import type { Analysis, AnalysisPort, MemoryPort, RememberedTurn } from '../../src/conversation/ports.js';
import type { ChatMessage, GenerateOptions, GenerateResult, LanguageModel } from '../../src/inference/types.js';
import { handleFor } from '../../src/app/character-registry.js';
import { loadCharacterFile } from '../../src/character/load.js';
import { createLlamaCppModel, type LlamaCppModel } from '../../src/inference/llama-cpp.js';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { createMemoryLogger } from '../../src/logger.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

const eliza = handleFor(await loadCharacterFile(path.join(repoRoot, 'characters', 'eliza.json'), { pluginExists: () => true }));
const characters = { get: () => eliza, list: () => [eliza] };

/** `remembered` answers a recall's older turns and facts (none by default). */
function memoryOf(remembered: (query: string) => { relevant: string[]; facts: string[] } = () => ({ relevant: [], facts: [] })): MemoryPort & { turns: Map<string, RememberedTurn[]> } {
  const turns = new Map<string, RememberedTurn[]>();
  return {
    turns,
    async rememberTurn(userKey, turn) {
      turns.set(userKey, [...(turns.get(userKey) ?? []), turn]);
      return ['id'];
    },
    async rememberFacts() {
      return [];
    },
    async findTurn() {
      return undefined;
    },
    async recall(userKey, query, opts) {
      const all = turns.get(userKey) ?? [];
      return { recent: opts.recent > 0 ? all.slice(-opts.recent) : [], ...(opts.relevant > 0 ? remembered(query) : { relevant: [], facts: [] }) };
    },
    async reset(userKey) {
      turns.delete(userKey);
    },
    async forget(userKey) {
      turns.delete(userKey);
    },
  };
}

interface Recorded {
  prefills: Array<{ conversation: string; messages: ChatMessage[] }>;
  generated: Array<GenerateOptions & { result: GenerateResult }>;
  released: string[];
}

/** Wraps a model (or answers by itself) and records what the service asked of it. */
function recording(inner?: LanguageModel): LanguageModel & Recorded & { prefilled(count: number): Promise<void> } {
  const recorded: Recorded = { prefills: [], generated: [], released: [] };
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  let n = 0;
  return {
    id: 'recording',
    ...recorded,
    /** Resolves once `count` prefills have been asked for. */
    prefilled: (count) => new Promise<void>((resolve) => {
      if (recorded.prefills.length >= count) resolve();
      else waiting.push({ count, resolve });
    }),
    async generate(options) {
      const result = inner ? await inner.generate(options) : { text: `reply ${++n}`, tokens: 2, firstTokenMs: 1, totalMs: 1, finishReason: 'stop' as const };
      recorded.generated.push({ ...options, result });
      return result;
    },
    async prefill(conversation, messages, options) {
      recorded.prefills.push({ conversation, messages });
      for (const waiter of waiting.filter((w) => recorded.prefills.length >= w.count)) waiter.resolve();
      return inner?.prefill ? inner.prefill(conversation, messages, options) : { tokens: 0, evaluated: 0 };
    },
    async release(conversation) {
      recorded.released.push(conversation);
      await inner?.release?.(conversation);
    },
    close: async () => inner?.close(),
  };
}

const serviceWith = (model: LanguageModel, memory: MemoryPort, extra: { analysis?: AnalysisPort; recentTurns?: number; now?: () => Date } = {}) =>
  createConversationService({
    characters, model, memory, analysis: extra.analysis, pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8,
    ...(extra.recentTurns ? { recentTurns: extra.recentTurns } : {}),
    ...(extra.now ? { now: extra.now } : {}),
  });

describe('a conversation\'s prompt from turn to turn', () => {
  it('extends the last turn\'s prompt: same system message, the last exchange added, notes and message after it', async () => {
    const model = recording();
    const service = serviceWith(model, memoryOf());
    await service.handleTurn({ channel: 'web', userId: 'u', text: 'hello there' });
    await service.handleTurn({ channel: 'web', userId: 'u', text: 'how are you?' });
    const [first, second] = model.generated.map((call) => call.messages);
    expect(model.generated.map((call) => call.conversation)).toEqual(['web:u', 'web:u']);
    // Everything of turn 1's prompt but its last message, then turn 1's exchange.
    expect(second?.slice(0, (first?.length ?? 0) - 1)).toEqual(first?.slice(0, -1));
    expect(second?.slice((first?.length ?? 0) - 1, (first?.length ?? 0) + 1)).toEqual([
      { role: 'user', content: 'hello there' },
      { role: 'assistant', content: 'reply 1' },
    ]);
    expect(second?.at(-1)).toEqual({ role: 'user', content: 'how are you?' });
  });

  it('asks the model to evaluate the system message and history ahead: after a reply, and while the AO analysis runs', async () => {
    const model = recording();
    const memory = memoryOf();
    let finishAnalysis: (analysis: Analysis) => void = () => undefined;
    const analysis: AnalysisPort = {
      analyze: () => new Promise((resolve) => (finishAnalysis = resolve)),
      commit: async () => ({}),
    };
    const service = serviceWith(model, memory, { analysis });
    const plan = { tone: 'warm', length: 'short' as const, acknowledge: [] };
    const first = service.handleTurn({ channel: 'web', userId: 'a', text: 'hello' });
    // The analysis cannot finish before the prefill was asked for: the turn waits on it.
    await model.prefilled(1);
    finishAnalysis({ understanding: {}, sentiment: {}, plan, ao: {} });
    await first;
    // Right after the reply: the next turn's start, this exchange included.
    expect(model.prefills).toHaveLength(2);
    const second = service.handleTurn({ channel: 'web', userId: 'a', text: 'tell me more' });
    await model.prefilled(3);
    expect(model.generated).toHaveLength(1);
    finishAnalysis({ understanding: {}, sentiment: {}, plan, ao: {} });
    await second;
    // The same start again (nothing left to evaluate), and it is exactly the start of the prompt the reply was asked with.
    expect(model.prefills[2]).toEqual(model.prefills[1]);
    const ahead = model.prefills[2]?.messages ?? [];
    expect(model.generated[1]?.messages.slice(0, ahead.length)).toEqual(ahead);
    expect(ahead.at(-1)).toEqual({ role: 'assistant', content: 'reply 1' });
    expect(model.generated[1]?.messages.at(-2)?.content).toContain('Tone: warm');
  });

  it('shows what memory recalls once, before the message it came with, and then only what is new', async () => {
    const model = recording();
    const sister = '(2026-11-20) Sofía: my sister wants to sail with me 👭';
    const wind = '(2026-11-21) Sofía: it was gusting twenty knots from the west';
    const memory = memoryOf((query) => ({ relevant: query.includes('wind') ? [sister, wind] : [sister], facts: ['boat: the user sails a 22-foot sloop called Wren'] }));
    const service = serviceWith(model, memory);
    await service.handleTurn({ channel: 'web', userId: 'n', text: 'hello there' });
    await service.handleTurn({ channel: 'web', userId: 'n', text: 'what about the wind?' });
    const [first, second] = model.generated.map((call) => call.messages);
    const where = (messages: ChatMessage[] | undefined, text: string) => (messages ?? []).flatMap((m, i) => (m.content.includes(text) ? [i] : []));
    // Turn 1's notes stay just before turn 1's message; turn 2 adds only the earlier turn not shown yet.
    expect(where(second, sister)).toEqual(where(first, sister));
    expect(where(second, 'sloop called Wren')).toHaveLength(1);
    expect(second?.[(where(second, sister)[0] ?? 0) + 1]).toEqual({ role: 'user', content: 'hello there' });
    expect(where(second, wind)).toEqual([(second?.length ?? 0) - 2]);
    expect(second?.at(-2)?.content).not.toContain('Wren');
    // What was prefilled after turn 1's reply, and then at turn 2's start while the analysis ran
    // (with this turn's new memory), is exactly the start of turn 2's prompt.
    const [, afterReply, atStart] = model.prefills.filter((p) => p.conversation === 'web:n').map((p) => p.messages);
    expect(afterReply?.at(-1)).toEqual({ role: 'assistant', content: 'reply 1' });
    expect(second?.slice(0, afterReply?.length)).toEqual(afterReply);
    expect(second?.slice(0, atStart?.length)).toEqual(atStart);
    expect(atStart?.at(-1)?.content).toContain(wind);
    // After /reset the conversation starts again: its first turn shows them again.
    await service.reset('web', 'n');
    await service.handleTurn({ channel: 'web', userId: 'n', text: 'hello again' });
    expect(where(model.generated.at(-1)?.messages, sister)).toHaveLength(1);
    expect(where(model.generated.at(-1)?.messages, 'Wren')).toHaveLength(1);
  });

  it('shows a reply in the next prompt as the model wrote it (untrimmed), and stores it trimmed', async () => {
    const written: LanguageModel = {
      id: 'leading-space',
      generate: async () => ({ text: ' Ahoy, Sofía! ⛵\n', tokens: 4, firstTokenMs: 1, totalMs: 1, finishReason: 'stop' }),
      close: async () => undefined,
    };
    const model = recording(written);
    const memory = memoryOf();
    const service = serviceWith(model, memory);
    const first = await service.handleTurn({ channel: 'web', userId: 's', text: 'hello there' });
    await service.handleTurn({ channel: 'web', userId: 's', text: 'how are you?' });
    expect(first.reply).toBe('Ahoy, Sofía! ⛵');
    expect(memory.turns.get('web:s')?.[0]?.reply).toBe('Ahoy, Sofía! ⛵');
    expect(model.generated[1]?.messages).toContainEqual({ role: 'assistant', content: ' Ahoy, Sofía! ⛵\n' });
  });

  it('drops old turns in chunks, not one every turn', async () => {
    const model = recording();
    const service = serviceWith(model, memoryOf(), { recentTurns: 2 });
    for (let i = 0; i < 8; i++) await service.handleTurn({ channel: 'web', userId: 'w', text: `message ${i}` });
    const shown = model.generated.map((call) => call.messages.filter((m) => m.role === 'user').length - 1);
    // Grows to four turns, then falls back to two at once.
    expect(shown).toEqual([0, 1, 2, 3, 4, 2, 3, 4]);
  });

  it('keeps the character\'s sampled lines for the conversation, and lets go of it all on /reset and /forget', async () => {
    const model = recording();
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const service = serviceWith(model, memoryOf(), { now: () => new Date((clock += 60_000)) });
    const systemOf = (i: number) => model.generated[i]?.messages[0]?.content;
    await service.handleTurn({ channel: 'web', userId: 'r', text: 'one' });
    await service.handleTurn({ channel: 'web', userId: 'r', text: 'two' });
    expect(systemOf(1)).toBe(systemOf(0));
    await service.reset('web', 'r');
    await service.forget('web', 'r');
    expect(model.released).toEqual(['web:r', 'web:r']);
  });
});

describe('a follow-up on the tiny generated model', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let llama: LlamaCppModel;
  beforeAll(async () => {
    tmp = await makeTmpDir('reuse');
    const file = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(file);
    llama = await createLlamaCppModel({ modelPath: file, gpu: 'off', threads: 1, contextSize: 4096, sequences: 2 });
  });
  afterAll(async () => {
    await llama?.close();
    await tmp?.remove();
  });

  it('evaluates only what is new since the last reply, and all of it again after /reset', async () => {
    const model = recording(llama);
    const service = serviceWith(model, memoryOf());
    await service.handleTurn({ channel: 'web', userId: 't', text: 'hello, do you like the sea?' });
    await service.handleTurn({ channel: 'web', userId: 't', text: 'and the wind?' });
    const [first, second] = model.generated.map((call) => call.result);
    expect(first?.evaluatedTokens).toBe(first?.promptTokens);
    // New since the first reply: that reply laid out as history, and the new message.
    const newSinceReply = (second?.promptTokens ?? 0) - (first?.promptTokens ?? 0);
    expect(second?.evaluatedTokens).toBeLessThanOrEqual(newSinceReply + 2);
    expect(second?.evaluatedTokens).toBeLessThan((second?.promptTokens ?? 0) / 4);

    await service.reset('web', 't');
    await service.handleTurn({ channel: 'web', userId: 't', text: 'a new start' });
    const third = model.generated.at(-1)?.result;
    expect(third?.evaluatedTokens).toBe(third?.promptTokens);
  });
});
