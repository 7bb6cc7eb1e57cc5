import { beforeAll, describe, expect, it } from 'vitest';
import { inferenceRequestSchema } from '../../src/ao/protocol.js';
import { asStockCu, createModuleRunner, ensureModulesBuilt } from '../support/module-runner.js';

// Forged items, evaluated the way the stock CU computes From: a From-Process tag becomes From
// whoever signed. The modules must believe it only when the signer is an Authority (the MU).
const NODE = 'NODE-ADDRESS';
const WORKER = 'WORKER';
const MALLORY = 'MALLORY';
const generationTags = [
  { name: 'Authority', value: NODE },
  { name: 'Understanding-Process', value: 'U' },
  { name: 'Sentiment-Process', value: 'S' },
  { name: 'Inference-Worker', value: WORKER },
  { name: 'Bot', value: WORKER },
];
const understanding = JSON.stringify({ intent: 'share-information', isQuestion: false, language: 'en', entities: [], topics: [], facts: [{ kind: 'name', text: 'Ada' }], version: 1 });
const sentiment = JSON.stringify({ compound: 0.4, label: 'positive', polarity: { pos: 0.4, neg: 0, neu: 0.6 }, emotion: 'joy', version: 1 });

const analyzed = (owner: string, fromProcess: string, turn: string, data: string) =>
  asStockCu({ owner, tags: [{ name: 'From-Process', value: fromProcess }, { name: 'Action', value: 'Analyzed' }, { name: 'Turn-Id', value: turn }], data });
const inferenceResult = (owner: string, turn: string, fromProcess?: string) =>
  asStockCu({
    owner,
    tags: [...(fromProcess ? [{ name: 'From-Process', value: fromProcess }] : []), { name: 'Action', value: 'Inference-Result' }, { name: 'Turn-Id', value: turn }],
    data: JSON.stringify({ turnId: turn, replyHash: 'a'.repeat(64), promptHash: 'b'.repeat(64), tokens: 3 }),
  });

describe('trust as the real AO network sees it', () => {
  beforeAll(() => ensureModulesBuilt());

  it('Generation refuses an Analyzed whose From-Process was set by a stranger, and takes the MU-signed one', async () => {
    const generation = await createModuleRunner('generation', { processTags: generationTags });
    const forged = await generation.send(analyzed(MALLORY, 'U', 't1', JSON.stringify({ ...JSON.parse(understanding), facts: [{ kind: 'name', text: 'INJECTED' }] })));
    expect(String(forged.Output)).toMatch(/refused/);
    await generation.send(analyzed(NODE, 'U', 't1', understanding));
    const joined = await generation.send(analyzed(NODE, 'S', 't1', sentiment));
    const request = inferenceRequestSchema.parse(JSON.parse(joined.Messages[0]?.Data ?? ''));
    expect(request.plan.acknowledge).toContain("the user's name is Ada");
    expect(JSON.stringify(request)).not.toContain('INJECTED');
  });

  it('Generation completes a turn only on an Inference-Result the worker itself signed', async () => {
    const generation = await createModuleRunner('generation', { processTags: generationTags });
    await generation.send(analyzed(NODE, 'U', 't2', understanding));
    await generation.send(analyzed(NODE, 'S', 't2', sentiment));
    // Signed by a stranger, claiming to come from the worker: on the stock CU, From = WORKER.
    const forged = await generation.send(inferenceResult(MALLORY, 't2', WORKER));
    expect(forged.Messages.some((m) => m.Tags.some((t) => t.name === 'Action' && t.value === 'Reply'))).toBe(false);
    expect(String(forged.Output)).toMatch(/refused/);
    // Even the MU cannot speak for the worker: only the worker's own signature counts.
    const viaNode = await generation.send(inferenceResult(NODE, 't2', WORKER));
    expect(String(viaNode.Output)).toMatch(/refused/);
    const real = await generation.send(inferenceResult(WORKER, 't2'));
    expect(real.Messages[0]?.Tags).toContainEqual({ name: 'Action', value: 'Reply' });
  });

  for (const name of ['understanding', 'sentiment'] as const) {
    it(`${name} sends a stranger's analysis back to the stranger, never on to Reply-To`, async () => {
      const runner = await createModuleRunner(name, { processTags: [{ name: 'Authority', value: NODE }, { name: 'Inference-Worker', value: WORKER }] });
      const ask = (owner: string, extra: Array<{ name: string; value: string }>) =>
        runner.send(asStockCu({ owner, tags: [...extra, { name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: 't3' }, { name: 'Reply-To', value: 'GENERATION' }], data: 'my name is Ada' }));
      // Pretending to be the worker through From-Process: the answer goes to the signer.
      expect((await ask(MALLORY, [{ name: 'From-Process', value: WORKER }])).Messages[0]?.Target).toBe(MALLORY);
      // Asking in their own name: answered, but not routed on.
      expect((await ask(MALLORY, [])).Messages[0]?.Target).toBe(MALLORY);
      // The worker's own request is routed to Generation.
      expect((await ask(WORKER, [])).Messages[0]?.Target).toBe('GENERATION');
    });
  }
});
