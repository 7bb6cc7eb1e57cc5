import { beforeAll, describe, expect, it } from 'vitest';
import { inferenceRequestSchema, replySchema } from '../../src/ao/protocol.js';
import { createModuleRunner, ensureModulesBuilt, type LoaderMessage } from '../support/module-runner.js';

const tags = [
  { name: 'Understanding-Process', value: 'U' },
  { name: 'Sentiment-Process', value: 'S' },
  { name: 'Inference-Worker', value: 'WORKER' },
  { name: 'Bot', value: 'BOT' },
];
const understanding = JSON.stringify({ intent: 'share-information', isQuestion: false, language: 'en', entities: [], topics: ['sailing'], facts: [{ kind: 'name', text: 'Alice' }], version: 1 });
const sentiment = JSON.stringify({ compound: -0.6, label: 'negative', polarity: { pos: 0, neg: 0.6, neu: 0.4 }, emotion: 'sadness', version: 1 });
const analyzed = (from: string, turn: string, data: string): LoaderMessage => ({ From: from, Tags: [{ name: 'Action', value: 'Analyzed' }, { name: 'Turn-Id', value: turn }], Data: data });
const result = (from: string, turn: string): LoaderMessage => ({
  From: from, Tags: [{ name: 'Action', value: 'Inference-Result' }, { name: 'Turn-Id', value: turn }],
  Data: JSON.stringify({ turnId: turn, replyHash: 'a'.repeat(64), promptHash: 'b'.repeat(64), tokens: 12 }),
});

describe('Generation process', () => {
  beforeAll(() => ensureModulesBuilt());

  it('joins both analyses across evaluations, asks the worker, and replies after the authorised result', async () => {
    const generation = await createModuleRunner('generation', { processTags: tags });
    const first = await generation.send(analyzed('U', 't1', understanding));
    expect(first.Messages).toEqual([]);
    const second = await generation.send(analyzed('S', 't1', sentiment));
    expect(second.Messages).toHaveLength(1);
    const request = second.Messages[0];
    expect(request?.Target).toBe('WORKER');
    expect(request?.Tags).toContainEqual({ name: 'Action', value: 'Inference-Request' });
    const data = inferenceRequestSchema.parse(JSON.parse(request?.Data ?? ''));
    expect(data.plan.tone).toBe('empathetic');
    expect(data.plan.acknowledge).toEqual(expect.arrayContaining(["the user's name is Alice", 'the user seems to feel sad']));

    const forged = await generation.send(result('MALLORY', 't1'));
    expect(forged.Messages).toEqual([{ Target: 'MALLORY', Tags: [{ name: 'Action', value: 'Error' }, { name: 'Turn-Id', value: 't1' }], Data: expect.stringMatching(/refused/) }]);

    const done = await generation.send(result('WORKER', 't1'));
    expect(done.Messages[0]?.Target).toBe('BOT');
    expect(replySchema.parse(JSON.parse(done.Messages[0]?.Data ?? ''))).toEqual({ turnId: 't1', replyHash: 'a'.repeat(64), tokens: 12, status: 'complete' });

    // Duplicates of a finished turn change nothing.
    expect((await generation.send(result('WORKER', 't1'))).Messages).toEqual([]);
    expect((await generation.send(analyzed('S', 't1', sentiment))).Messages).toEqual([]);
    const info = JSON.parse(String((await generation.dryRun({ From: 'anyone', Tags: [{ name: 'Action', value: 'Info' }] })).Output)) as { pendingTurns: number; completedTurns: number };
    expect(info).toMatchObject({ pendingTurns: 0, completedTurns: 1 });
  });

  it('refuses analyses from other processes and results for turns never requested', async () => {
    const generation = await createModuleRunner('generation', { processTags: tags });
    expect((await generation.send(analyzed('EVE', 't2', understanding))).Output).toMatch(/refused/);
    expect((await generation.send(result('WORKER', 't2'))).Output).toMatch(/no inference was requested/);
  });

  it('keeps many turns apart and stays bounded', async () => {
    const generation = await createModuleRunner('generation', { processTags: tags });
    for (let i = 0; i < 140; i++) await generation.send(analyzed('U', `turn-${i}`, understanding));
    const late = await generation.send(analyzed('S', 'turn-139', sentiment));
    expect(late.Messages[0]?.Tags).toContainEqual({ name: 'Turn-Id', value: 'turn-139' });
    const info = JSON.parse(String((await generation.dryRun({ From: 'x', Tags: [{ name: 'Action', value: 'Info' }] })).Output)) as { pendingTurns: number; slots: number };
    expect(info.pendingTurns).toBe(info.slots);
  });

  it('under pressure drops half-joined turns before turns waiting for their result', async () => {
    const generation = await createModuleRunner('generation', { processTags: tags });
    await generation.send(analyzed('U', 'keep', understanding));
    await generation.send(analyzed('S', 'keep', sentiment)); // requested: waiting for the worker
    for (let i = 0; i < 200; i++) await generation.send(analyzed('U', `half-${i}`, understanding));
    const done = await generation.send(result('WORKER', 'keep'));
    expect(done.Messages[0]?.Tags).toContainEqual({ name: 'Action', value: 'Reply' });
  });

  it('runs under the metering format too', async () => {
    const metered = await createModuleRunner('sentiment', { format: 'wasm32-unknown-emscripten-metering' });
    const out = await metered.send({ From: 'x', Tags: [{ name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: 't' }], Data: 'lovely' });
    expect(JSON.parse(out.Messages[0]?.Data ?? '{}')).toMatchObject({ label: 'positive' });
    expect(out.GasUsed).toBeGreaterThan(0);
  });
});
