import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAoClient, type AoClient } from '../../src/ao/client.js';
import { spawnProcesses } from '../../src/ao/deploy.js';
import { AoPipelineError, createAoPipeline } from '../../src/ao/pipeline.js';
import { freePort } from '../../src/arweave/arlocal.js';
import { UnreachableError } from '../../src/errors.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { createLogger } from '../../src/logger.js';
import { buildTurnModule } from './fixtures/build-fixture.js';
import { createFixture, type Fixture } from './node-fixture.js';

// The lead's turn pipeline (src/ao/pipeline.ts) over aoconnect against the embedded node,
// with a stand-in module speaking the turn messages (the real modules are tested elsewhere).
describe('turn pipeline over the embedded AO node', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  let ao: AoClient;

  beforeAll(async () => {
    fx = await createFixture('ao-pipeline');
    node = await fx.startNode('node');
    ao = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
  });
  afterAll(async () => {
    await fx?.remove();
  });

  /** The three processes, each running the stand-in turn module. */
  async function spawnTurnProcesses(name: string) {
    const moduleId = await node.publishModule(name, await buildTurnModule());
    return spawnProcesses({
      spawner: ao,
      modules: { understanding: moduleId, sentiment: moduleId, generation: moduleId },
      scheduler: node.scheduler,
      worker: 'w'.repeat(43),
      authority: node.scheduler,
    });
  }

  it('runs analyze → join in Generation → Inference-Request, then commit → Reply', async () => {
    const processes = await spawnTurnProcesses('turn');
    const pipeline = createAoPipeline({ ao, processes, logger: createLogger({ level: 'warn' }), timeoutMs: 10_000, pollMs: 10 });
    try {
      for (const turnId of ['turn-1', 'turn-2']) {
        const started = performance.now();
        const analysis = await pipeline.analyze({ turnId, text: 'hello there', conversation: 'c1' });
        console.log(`AO turn analyze round trip (${turnId}): ${(performance.now() - started).toFixed(1)} ms`);
        expect(analysis.understanding).toMatchObject({ intent: 'greeting', version: 1 });
        expect(analysis.sentiment).toMatchObject({ label: 'neutral', version: 1 });
        expect(analysis.plan).toEqual({ tone: 'calm', length: 'short', acknowledge: ['joined 2'] });
        const ids = await pipeline.commit({ turnId, replyHash: 'r', promptHash: 'p', tokens: 3 });
        const result = await ao.result(processes.generation, ids.inferenceResult!);
        expect(result.Messages?.[0]?.Tags).toContainEqual({ name: 'Action', value: 'Reply' });
      }
    } finally {
      await pipeline.close();
    }
  });

  it('goes on at once when Generation fails on the turn, saying why, instead of waiting for the timeout', async () => {
    const processes = await spawnTurnProcesses('turn-trap');
    const pipeline = createAoPipeline({ ao, processes, logger: createLogger({ level: 'error' }), timeoutMs: 15_000, pollMs: 10, pushesBeforeResult: true });
    try {
      const started = performance.now();
      const failure = await pipeline.analyze({ turnId: 'trapped', text: 'please TRAP', conversation: 'c2' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      const elapsed = performance.now() - started;
      console.log(`AO turn with a failing Generation ended after ${elapsed.toFixed(0)} ms`);
      expect(failure).toBeInstanceOf(AoPipelineError);
      expect(String(failure)).toMatch(/Generation evaluated everything[\s\S]*Error/);
      // The same turn's analyses took tens of ms above; the timeout is 15 s (half of it leaves
      // room for a loaded CI machine while still telling the two apart).
      expect(elapsed).toBeLessThan(7500);
      // The next turn is not held up by the failed one.
      expect((await pipeline.analyze({ turnId: 'after', text: 'hello again', conversation: 'c2' })).plan?.acknowledge).toEqual(['joined 2']);
    } finally {
      await pipeline.close();
    }
  });

  it('refuses an analysis outside the protocol, naming the process and the field', async () => {
    const processes = await spawnTurnProcesses('turn-shape');
    const pipeline = createAoPipeline({ ao, processes, logger: createLogger({ level: 'error' }), timeoutMs: 15_000, pollMs: 10, pushesBeforeResult: true });
    try {
      const failure = await pipeline.analyze({ turnId: 'odd', text: 'Ada, 36, from Zürich 🙂 BADSHAPE', conversation: 'c4' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AoPipelineError);
      expect(String(failure)).toMatch(/(Understanding|Sentiment): the message does not follow the protocol \((intent|compound): /);
    } finally {
      await pipeline.close();
    }
  });

  it('goes on at once when the AO node cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = createAoClient({ muUrl: `${closed}/mu`, cuUrl: `${closed}/cu`, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
    const pipeline = createAoPipeline({ ao: unreachable, processes: { understanding: 'u'.repeat(43), sentiment: 's'.repeat(43), generation: 'g'.repeat(43) }, logger: createLogger({ level: 'error' }), timeoutMs: 15_000, pollMs: 10, pushesBeforeResult: true });
    try {
      const started = performance.now();
      await expect(pipeline.analyze({ turnId: 'nowhere', text: 'hello', conversation: 'c3' })).rejects.toThrow(UnreachableError);
      expect(performance.now() - started).toBeLessThan(7500);
    } finally {
      await pipeline.close();
    }
  });
});
