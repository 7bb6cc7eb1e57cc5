import { beforeAll, describe, expect, it } from 'vitest';
import { inferenceRequestSchema, sentimentSchema, understandingSchema } from '../../src/ao/protocol.js';
import { loadCorpus } from '../support/corpus.js';
import { createModuleRunner, ensureModulesBuilt, type LoaderResult } from '../support/module-runner.js';

// 10,000 turns of realistic messages through each process, state kept in the instance as a CU
// keeps it: no evaluation fails, and memory stops growing once the largest message has been seen.
const TURNS = 10_000;
const corpus = loadCorpus().map((message) => message.text);

function dataOf(result: LoaderResult, action: string): string {
  const message = result.Messages.find((m) => m.Tags.some((t) => t.name === 'Action' && t.value === action));
  if (!message) throw new Error(`no ${action} in ${JSON.stringify(result.Output).slice(0, 200)}`);
  return message.Data;
}

const sizeOf = (result: LoaderResult) => result.Memory?.byteLength ?? 0;

describe('process memory over 10,000 realistic turns', () => {
  beforeAll(() => ensureModulesBuilt());

  it('Understanding, Sentiment and Generation stay bounded and never fail', { timeout: 300_000 }, async () => {
    const understanding = await createModuleRunner('understanding', { inPlace: true });
    const sentiment = await createModuleRunner('sentiment', { inPlace: true });
    const generation = await createModuleRunner('generation', {
      inPlace: true,
      processTags: [
        { name: 'Understanding-Process', value: 'U' },
        { name: 'Sentiment-Process', value: 'S' },
        { name: 'Inference-Worker', value: 'W' },
      ],
    });
    const sizes = { understanding: [] as number[], sentiment: [] as number[], generation: [] as number[] };
    for (let turn = 0; turn < TURNS; turn++) {
      const text = corpus[turn % corpus.length] as string;
      const ask = { From: 'W', Tags: [{ name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: `t${turn}` }], Data: text };
      const u = await understanding.send(ask);
      const s = await sentiment.send(ask);
      const uData = dataOf(u, 'Analyzed');
      const sData = dataOf(s, 'Analyzed');
      if (turn < corpus.length) {
        understandingSchema.parse(JSON.parse(uData));
        sentimentSchema.parse(JSON.parse(sData));
      }
      const tags = (action: string) => [{ name: 'Action', value: action }, { name: 'Turn-Id', value: `t${turn}` }];
      await generation.send({ From: 'U', Tags: tags('Analyzed'), Data: uData });
      const requested = await generation.send({ From: 'S', Tags: tags('Analyzed'), Data: sData });
      if (turn < corpus.length) inferenceRequestSchema.parse(JSON.parse(dataOf(requested, 'Inference-Request')));
      const replied = await generation.send({ From: 'W', Tags: tags('Inference-Result'), Data: JSON.stringify({ turnId: `t${turn}`, replyHash: 'a'.repeat(64), promptHash: 'b'.repeat(64), tokens: 9 }) });
      dataOf(replied, 'Reply');
      // After one pass over the corpus every message size has been seen.
      if (turn === corpus.length || turn === TURNS - 1) {
        sizes.understanding.push(sizeOf(u));
        sizes.sentiment.push(sizeOf(s));
        sizes.generation.push(sizeOf(replied));
      }
    }
    console.log(`process memory after ${corpus.length + 1} and ${TURNS} turns (bytes): ${JSON.stringify(sizes)}`);
    for (const [name, [first, last]] of Object.entries(sizes)) {
      expect(last, name).toBe(first);
      expect(last, name).toBeLessThanOrEqual(8 * 1024 * 1024);
    }
  });
});
