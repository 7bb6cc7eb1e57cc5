// The turn's steps alone, each built with fakes for what it needs (run-turn.ts composes them).
import { describe, expect, it } from 'vitest';
import { AoRequiredError, analyseWith } from '../../src/conversation/analyse-turn.js';
import { noStats } from '../../src/conversation/conversation-stats.js';
import { generateReplyWith } from '../../src/conversation/generate-reply.js';
import type { Analysis, AnalysisPort, RememberedTurn } from '../../src/conversation/ports.js';
import { repeatTurnWith, turnIdsOf } from '../../src/conversation/repeat-turn.js';
import { userKeyOf } from '../../src/conversation/user-key.js';
import type { GenerateOptions } from '../../src/inference/types.js';
import { createMemoryLogger } from '../../src/logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('analyseWith', () => {
  const analysis: Analysis = { understanding: { intent: 'ask', facts: [] }, sentiment: { label: 'curious' }, plan: { tone: 'warm', length: 'short', acknowledge: [] }, ao: { understanding: 'msg-1' } };
  const port = (analyze: AnalysisPort['analyze']): AnalysisPort => ({ analyze, commit: async () => ({}) });

  it('asks AO with the pseudonym of the user, never the user key itself', async () => {
    const asked: Array<{ turnId: string; text: string; conversation: string }> = [];
    const analyse = analyseWith({ analysis: port(async (input) => (asked.push(input), analysis)), pseudonym: (key) => (key === 'telegram:-100987:12345' ? '7c1e9f0a' : 'someone else'), aoRequired: false, stats: noStats(), log: createMemoryLogger() });
    expect(await analyse('turn-1', 'Wie spät ist es in Zürich? 🕰️', userKeyOf('telegram', '-100987:12345'))).toEqual({ analysis });
    expect(asked).toEqual([{ turnId: 'turn-1', text: 'Wie spät ist es in Zürich? 🕰️', conversation: '7c1e9f0a' }]);
  });

  it('answers without AO on a failure: counted, logged and described for the caller', async () => {
    const stats = noStats();
    const log = createMemoryLogger();
    const analyse = analyseWith({ analysis: port(async () => Promise.reject(new Error('scheduler unreachable'))), pseudonym: (key) => key, aoRequired: false, stats, log });
    expect(await analyse('turn-2', 'hola', userKeyOf('web', 'aurelia'))).toEqual({ analysis: undefined, error: 'scheduler unreachable' });
    expect(stats).toMatchObject({ aoFailures: 1, answeredWithoutAo: 1 });
    expect(log.lines.some((line) => line.includes('turn turn-2: AO analysis failed, answering without it: scheduler unreachable'))).toBe(true);
  });

  it('fails the turn when AO is required, counting the failure but no answer without it', async () => {
    const stats = noStats();
    const analyse = analyseWith({ analysis: port(async () => Promise.reject(new Error('timed out after 30 s'))), pseudonym: (key) => key, aoRequired: true, stats, log: createMemoryLogger() });
    await expect(analyse('turn-3', 'hi', userKeyOf('cli', 'ana'))).rejects.toBeInstanceOf(AoRequiredError);
    expect(stats).toMatchObject({ aoFailures: 1, answeredWithoutAo: 0 });
  });

  it('without AO configured: no analysis and no error', async () => {
    const analyse = analyseWith({ analysis: undefined, pseudonym: (key) => key, aoRequired: true, stats: noStats(), log: createMemoryLogger() });
    expect(await analyse('turn-4', 'hi', userKeyOf('cli', 'ana'))).toEqual({ analysis: undefined });
  });
});

describe('generateReplyWith', () => {
  /** A model that streams the pieces given, and records what it was asked. */
  function streamingModel(pieces: string[]) {
    const calls: GenerateOptions[] = [];
    return {
      calls,
      async generate(options: GenerateOptions) {
        calls.push(options);
        for (const piece of pieces) options.onToken?.(piece);
        const text = pieces.join('');
        return { text, tokens: pieces.length, firstTokenMs: 1, totalMs: 2, finishReason: 'stop' as const };
      },
    };
  }

  it('streams action results first, then the model’s words, without control characters', async () => {
    const model = streamingModel([' Bonjour\u0007 ', '', '\u001b[31m', 'Élodie 👋\n']);
    const streamed: string[] = [];
    const generate = generateReplyWith({ model, maxTokens: 96 });
    const reply = await generate({ messages: [{ role: 'user', content: 'salut' }], userKey: userKeyOf('web', 'elodie'), actions: [{ name: 'WEATHER', text: 'Lyon: 18 °C\u0000' }], request: { onToken: (t) => streamed.push(t) }, started: Date.now() });
    expect(streamed).toEqual(['Lyon: 18 °C\n\n', ' Bonjour ', '[31m', 'Élodie 👋\n']);
    expect(reply).toMatchObject({ reply: 'Lyon: 18 °C\n\nBonjour [31mÉlodie 👋', said: undefined, tokens: 4 });
    expect(reply.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(model.calls[0]).toMatchObject({ conversation: 'web:elodie', maxTokens: 96 });
  });

  it('keeps the untrimmed text the model wrote when trimming alone changed it', async () => {
    const generate = generateReplyWith({ model: streamingModel(['\nThe tide turns at 14:05.', ' ']), maxTokens: 64 });
    const reply = await generate({ messages: [], userKey: userKeyOf('cli', 'sam'), actions: [], request: {}, started: Date.now() });
    expect(reply).toMatchObject({ reply: 'The tide turns at 14:05.', said: '\nThe tide turns at 14:05. ' });
  });

  it('counts an action’s text as the first token when the model says nothing', async () => {
    const generate = generateReplyWith({ model: streamingModel([]), maxTokens: 64 });
    const reply = await generate({ messages: [], userKey: userKeyOf('cli', 'sam'), actions: [{ name: 'REMIND', text: 'Reminder set for 7:30 ⏰' }], request: {}, started: Date.now() });
    expect(reply).toMatchObject({ reply: 'Reminder set for 7:30 ⏰', firstTokenMs: 0, tokens: 0 });
  });
});

describe('turnIdsOf and repeatTurnWith', () => {
  const remembered: RememberedTurn = { turnId: '', userText: '¿Qué tal?', reply: 'Muy bien\u0007, ¿y tú?', at: '2026-03-01T09:30:00.000Z' };

  it('fixes the turn id by user and idempotency key, while each attempt gets its own AO id', () => {
    const first = turnIdsOf(userKeyOf('telegram', '42'), '42:900');
    const again = turnIdsOf(userKeyOf('telegram', '42'), '42:900');
    expect(first.turnId).toMatch(UUID);
    expect(again.turnId).toBe(first.turnId);
    expect(again.aoTurnId).not.toBe(first.aoTurnId);
    expect(turnIdsOf(userKeyOf('telegram', '43'), '42:900').turnId).not.toBe(first.turnId);
    const fresh = turnIdsOf(userKeyOf('web', 'x'), undefined);
    expect(fresh.aoTurnId).toBe(fresh.turnId);
  });

  it('repeats the remembered reply of a message asked for again, and asks memory only with a key', async () => {
    const asked: string[] = [];
    const repeat = repeatTurnWith({ memory: { findTurn: async (_key, turnId) => (asked.push(turnId), turnId === 't-known' ? { ...remembered, turnId } : undefined) }, log: createMemoryLogger() });
    const query = { userKey: userKeyOf('telegram', '42'), character: 'Marlowe', started: Date.now() };
    expect(await repeat({ ...query, turnId: 't-known', idempotencyKey: '42:900' })).toMatchObject({ turnId: 't-known', reply: 'Muy bien, ¿y tú?', character: 'Marlowe', repeated: true });
    expect(await repeat({ ...query, turnId: 't-new', idempotencyKey: '42:901' })).toBeUndefined();
    expect(await repeat({ ...query, turnId: 't-known', idempotencyKey: undefined })).toBeUndefined();
    expect(asked).toEqual(['t-known', 't-new']);
  });
});
