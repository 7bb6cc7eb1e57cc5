import { describe, expect, it } from 'vitest';
import { AoRequiredError, createConversationService, type CharacterHandle, type PromptRequest } from '../../src/conversation/service.js';
import type { AnalysisPort, MemoryPort, RecallOptions, RememberedTurn, LearnedFact } from '../../src/conversation/ports.js';
import type { GenerateOptions, LanguageModel } from '../../src/inference/types.js';
import { createMemoryLogger } from '../../src/logger.js';
import { InputError } from '../../src/errors.js';

function fakeModel(reply: (options: GenerateOptions) => string): LanguageModel & { calls: GenerateOptions[] } {
  const calls: GenerateOptions[] = [];
  return {
    id: 'fake',
    calls,
    async generate(options) {
      calls.push(options);
      const text = reply(options);
      for (const piece of text.split(/(?<= )/)) options.onToken?.(piece);
      return { text, tokens: text.split(' ').length, firstTokenMs: 1, totalMs: 2, finishReason: 'stop' };
    },
    async close() {},
  };
}

function fakeMemory(): MemoryPort & { turns: Map<string, RememberedTurn[]>; facts: Map<string, LearnedFact[]>; recalls: RecallOptions[] } {
  const turns = new Map<string, RememberedTurn[]>();
  const facts = new Map<string, LearnedFact[]>();
  /** Where each user's current conversation starts, as an index into their turns. */
  const resets = new Map<string, number>();
  const recalls: RecallOptions[] = [];
  let n = 0;
  return {
    turns,
    facts,
    recalls,
    async rememberTurn(userKey, turn) {
      turns.set(userKey, [...(turns.get(userKey) ?? []), turn]);
      return [`rec-${++n}`];
    },
    async rememberFacts(userKey, learned) {
      facts.set(userKey, [...(facts.get(userKey) ?? []), ...learned]);
      return learned.map(() => `fact-${++n}`);
    },
    async findTurn(userKey, turnId) {
      return turns.get(userKey)?.find((turn) => turn.turnId === turnId);
    },
    async recall(userKey, query, opts) {
      recalls.push(opts);
      const all = (turns.get(userKey) ?? []).slice(opts.acrossResets ? 0 : (resets.get(userKey) ?? 0));
      return {
        recent: all.slice(-opts.recent).map(({ userText, reply, at }) => ({ userText, reply, at })),
        relevant: [],
        facts: (facts.get(userKey) ?? []).map((fact) => fact.text),
      };
    },
    async reset(userKey) {
      resets.set(userKey, turns.get(userKey)?.length ?? 0);
    },
    async forget(userKey) {
      turns.delete(userKey);
      facts.delete(userKey);
      resets.delete(userKey);
    },
  };
}

const prompts: PromptRequest[] = [];
const character: CharacterHandle = {
  name: 'Eliza',
  bio: 'a test character',
  greeting: 'Hello!',
  // Stands in for the BM25 search over the character's passages (tested with the registry).
  knowledge: (text) => (/lighthouse/i.test(text) ? ['The lighthouse on Skerry Point was lit in 1902.'] : []),
  prompt(request) {
    prompts.push(request);
    return [
      { role: 'system', content: `You are Eliza. Facts: ${request.facts.join('; ')}` },
      ...request.recent.map((turn) => ({ role: turn.role, content: turn.text })),
      { role: 'user', content: request.userText },
    ];
  },
};
const characters = { get: () => character, list: () => [character] };

describe('conversation service', () => {
  it('streams the reply, remembers the turn and the learned facts', async () => {
    const memory = fakeMemory();
    const analysis: AnalysisPort = {
      async analyze({ turnId }) {
        return {
          understanding: { intent: 'share-information', facts: [{ kind: 'name', text: 'the user is called Alice' }] },
          sentiment: { compound: 0.5, label: 'positive' },
          plan: { tone: 'warm', length: 'short', acknowledge: [] },
          ao: { understanding: `u-${turnId}`, sentiment: `s-${turnId}` },
        };
      },
      async commit() {
        return { inferenceResult: 'r-1' };
      },
    };
    const service = createConversationService({
      characters, model: fakeModel(() => 'Nice to meet you, Alice.'), memory, analysis,
      pseudonym: (key) => `p(${key})`, logger: createMemoryLogger(), maxTokens: 32,
    });
    const tokens: string[] = [];
    const result = await service.handleTurn({ channel: 'cli', userId: 'alice', text: 'my name is Alice', onToken: (t) => tokens.push(t) });
    expect(tokens.join('')).toBe('Nice to meet you, Alice.');
    expect(result.reply).toBe('Nice to meet you, Alice.');
    expect(result.ao).toMatchObject({ inferenceResult: 'r-1', understanding: `u-${result.turnId}` });
    expect(memory.turns.get('cli:alice')?.[0]).toMatchObject({ userText: 'my name is Alice', turnId: result.turnId });
    expect(memory.facts.get('cli:alice')?.[0]?.text).toBe('the user is called Alice');
    expect(result.memory?.written).toHaveLength(2);

    const second = await service.handleTurn({ channel: 'cli', userId: 'alice', text: 'what is my name?' });
    expect(second.memory?.recalled.join('\n')).toContain('the user is called Alice');
    expect(prompts.at(-1)?.recent.map((m) => m.text)).toEqual(['my name is Alice', 'Nice to meet you, Alice.']);
  });

  it("puts the character's knowledge about the message, or the one before it, in the prompt and the result", async () => {
    const service = createConversationService({
      characters, model: fakeModel(() => 'It is old.'), memory: fakeMemory(), analysis: undefined,
      pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8,
    });
    const first = await service.handleTurn({ channel: 'cli', userId: 'k', text: 'tell me about the lighthouse' });
    expect(first.knowledge).toEqual(['The lighthouse on Skerry Point was lit in 1902.']);
    expect(prompts.at(-1)?.knowledge).toEqual(['The lighthouse on Skerry Point was lit in 1902.']);
    const followUp = await service.handleTurn({ channel: 'cli', userId: 'k', text: 'and when was that?' });
    expect(followUp.knowledge).toEqual(['The lighthouse on Skerry Point was lit in 1902.']);
    const other = await service.handleTurn({ channel: 'cli', userId: 'other', text: 'and when was that?' });
    expect(other.knowledge).toEqual([]);
  });

  it('answers a message asked again with the same idempotency key from memory, remembering it once', async () => {
    const memory = fakeMemory();
    let generated = 0;
    const service = createConversationService({
      characters, model: fakeModel(() => `reply ${++generated}`), memory, analysis: undefined,
      pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8,
    });
    const first = await service.handleTurn({ channel: 'telegram', userId: '7', text: 'hello', idempotencyKey: '7:100' });
    const again = await service.handleTurn({ channel: 'telegram', userId: '7', text: 'hello', idempotencyKey: '7:100' });
    expect(first.turnId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(again).toMatchObject({ turnId: first.turnId, reply: 'reply 1', repeated: true });
    expect(memory.turns.get('telegram:7')).toHaveLength(1);
    // Another message, or the same key from another user, is a new turn.
    const next = await service.handleTurn({ channel: 'telegram', userId: '7', text: 'hello', idempotencyKey: '7:101' });
    const other = await service.handleTurn({ channel: 'telegram', userId: '8', text: 'hello', idempotencyKey: '7:100' });
    expect([next.reply, other.reply]).toEqual(['reply 2', 'reply 3']);
    expect(other.turnId).not.toBe(first.turnId);
  });

  it('gives a retried message a fresh AO turn, since AO ignores a Turn-Id it has finished', async () => {
    const memory = fakeMemory();
    const finished = new Set<string>();
    const analysis: AnalysisPort = {
      async analyze({ turnId }) {
        if (finished.has(turnId)) throw new Error(`duplicate for finished turn ${turnId}: no plan`);
        return { understanding: { intent: 'greeting', facts: [] }, sentiment: { label: 'neutral' }, plan: undefined, ao: { understanding: `u-${turnId}` } };
      },
      async commit({ turnId }) {
        finished.add(turnId);
        return { inferenceResult: `r-${turnId}` };
      },
    };
    // The first attempt stops after its AO commit, before it is remembered (as a crash would).
    let crash = true;
    const rememberTurn = memory.rememberTurn.bind(memory);
    memory.rememberTurn = async (userKey, turn) => {
      if (crash) throw new Error('killed');
      return rememberTurn(userKey, turn);
    };
    const logger = createMemoryLogger();
    const service = createConversationService({ characters, model: fakeModel(() => 'hi'), memory, analysis, pseudonym: (key) => key, logger, maxTokens: 8 });
    await expect(service.handleTurn({ channel: 'telegram', userId: '9', text: 'hello', idempotencyKey: '9:1' })).rejects.toThrow('killed');
    crash = false;
    const retried = await service.handleTurn({ channel: 'telegram', userId: '9', text: 'hello', idempotencyKey: '9:1' });
    expect(retried.understanding).toMatchObject({ intent: 'greeting' });
    expect(logger.lines.join('\n')).not.toMatch(/AO analysis failed/);
    expect(finished.size).toBe(2);
    expect(memory.turns.get('telegram:9')).toHaveLength(1);
  });

  it('keeps users apart and answers even when AO analysis fails', async () => {
    const memory = fakeMemory();
    const logger = createMemoryLogger();
    const failing: AnalysisPort = {
      analyze: async () => { throw new Error('node down'); },
      commit: async () => ({}),
    };
    const service = createConversationService({
      characters, model: fakeModel((o) => `echo ${o.messages.at(-1)?.content}`), memory, analysis: failing,
      pseudonym: (key) => key, logger, maxTokens: 32,
    });
    await service.handleTurn({ channel: 'web', userId: 'a', text: 'secret of a' });
    const b = await service.handleTurn({ channel: 'web', userId: 'b', text: 'hello' });
    expect(b.reply).toBe('echo hello');
    // Said, counted, and not remembered as part of the turn.
    expect(b.ao).toEqual({ error: 'node down' });
    expect(service.stats()).toEqual({ turns: 2, answeredWithoutAo: 2, aoFailures: 2 });
    expect(memory.turns.get('web:b')?.[0]?.ao).toEqual({});
    expect(b.memory?.recalled.join(' ')).not.toContain('secret of a');
    expect(logger.lines.some((line) => line.includes('AO analysis failed'))).toBe(true);
    expect(await service.history('web', 'b')).toEqual([
      expect.objectContaining({ role: 'user', text: 'hello' }),
      expect.objectContaining({ role: 'assistant', text: 'echo hello' }),
    ]);
  });

  it('with aoRequired, reports a turn whose AO analysis failed instead of answering without it', async () => {
    const memory = fakeMemory();
    const model = fakeModel(() => 'unanalysed reply');
    const failing: AnalysisPort = {
      analyze: async () => { throw new Error('Generation evaluated everything it was sent for this turn and did not answer'); },
      commit: async () => ({}),
    };
    const service = createConversationService({ characters, model, memory, analysis: failing, pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8, aoRequired: true });
    await expect(service.handleTurn({ channel: 'cli', userId: 'u', text: 'my name is Ada' })).rejects.toBeInstanceOf(AoRequiredError);
    expect(model.calls).toHaveLength(0);
    expect(memory.turns.size).toBe(0);
    expect(service.stats()).toEqual({ turns: 1, answeredWithoutAo: 0, aoFailures: 1 });
  });

  it('rejects empty and oversized messages with a clear error', async () => {
    const service = createConversationService({
      characters, model: fakeModel(() => 'x'), memory: fakeMemory(), analysis: undefined,
      pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8,
    });
    await expect(service.handleTurn({ channel: 'cli', userId: 'u', text: '  \u0000 ' })).rejects.toBeInstanceOf(InputError);
    await expect(service.handleTurn({ channel: 'cli', userId: 'u', text: 'x'.repeat(5000) })).rejects.toThrow(/too long/);
  });

  it('reset starts a new conversation without forgetting, forget drops memory', async () => {
    const memory = fakeMemory();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const service = createConversationService({
      characters, model: fakeModel(() => 'ok'), memory, analysis: undefined,
      pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8, now: () => new Date((clock += 1000)),
    });
    await service.handleTurn({ channel: 'telegram', userId: '1', text: 'first' });
    await service.reset('telegram', '1');
    expect(await service.history('telegram', '1')).toEqual([]);
    expect(memory.turns.get('telegram:1')).toHaveLength(1);
    // The reset is kept by the memory (a record that outlives a restart), not by the service.
    const restarted = createConversationService({
      characters, model: fakeModel(() => 'ok'), memory, analysis: undefined,
      pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8,
    });
    expect(await restarted.history('telegram', '1')).toEqual([]);
    // History is for anyone who holds a session id: it reads only what this machine holds.
    expect(memory.recalls.at(-1)).toMatchObject({ localOnly: true });
    expect(await service.describeMemory('telegram', '1')).toMatch(/“first”/);
    await service.forget('telegram', '1');
    expect(await service.describeMemory('telegram', '1')).toMatch(/do not remember/);
  });

  it('never lets control characters from the model reach the client or the memory', async () => {
    const memory = fakeMemory();
    const model = fakeModel(() => 'Hi\u001b[2J there\u0007!\r\n\tNext\u0000 line\u007f');
    const service = createConversationService({
      characters, model, memory, analysis: undefined,
      pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8,
    });
    const streamed: string[] = [];
    const result = await service.handleTurn({ channel: 'web', userId: 'u', text: 'hello', onToken: (token) => streamed.push(token) });
    const clean = 'Hi[2J there!\n\tNext line';
    expect(streamed.join('')).toBe(clean);
    expect(result.reply).toBe(clean);
    expect(memory.turns.get('web:u')?.[0]?.reply).toBe(clean);
    // A reply remembered before this rule is cleaned on its way out of the history.
    memory.turns.set('web:old', [{ turnId: 'old-1', userText: 'hi', reply: 'old\u001b[0m reply\u0008', at: '2026-01-01T00:00:00.000Z' }]);
    expect((await service.history('web', 'old')).map((entry) => entry.text)).toEqual(['hi', 'old[0m reply']);
  });

  it('runs one turn at a time per user', async () => {
    const order: string[] = [];
    const slowModel: LanguageModel = {
      id: 'slow',
      async generate(options) {
        const text = String(options.messages.at(-1)?.content);
        order.push(`start ${text}`);
        await new Promise((resolve) => setTimeout(resolve, text === 'one' ? 30 : 1));
        order.push(`end ${text}`);
        return { text, tokens: 1, firstTokenMs: 1, totalMs: 1, finishReason: 'stop' };
      },
      async close() {},
    };
    const service = createConversationService({
      characters, model: slowModel, memory: fakeMemory(), analysis: undefined,
      pseudonym: (key) => key, logger: createMemoryLogger(), maxTokens: 8,
    });
    await Promise.all([
      service.handleTurn({ channel: 'cli', userId: 'same', text: 'one' }),
      service.handleTurn({ channel: 'cli', userId: 'same', text: 'two' }),
    ]);
    expect(order).toEqual(['start one', 'end one', 'start two', 'end two']);
  });
});
