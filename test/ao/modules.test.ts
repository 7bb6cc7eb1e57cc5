import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAoClient, type AoClient } from '../../src/ao/client.js';
import { spawnProcesses } from '../../src/ao/deploy.js';
import { createAoPipeline } from '../../src/ao/pipeline.js';
import type { EvalTiming } from '../../src/ao/node/ao-node.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { createLogger } from '../../src/logger.js';
import { repoRoot } from '../support/tmp-dir.js';
import { createFixture, type Fixture } from './node-fixture.js';
import { skipWhenMissing } from '../support/prerequisite.js';

// The project's own modules (npm run build → build/modules) on the embedded node.
const dir = path.join(repoRoot, 'build', 'modules');
const names = ['understanding', 'sentiment', 'generation'] as const;
const built = names.every((name) => existsSync(path.join(dir, `${name}.wasm`)));

describe.skipIf(skipWhenMissing(built, 'build/modules (npm run build)'))('permachat modules on the embedded AO node', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  let ao: AoClient;
  const timings: EvalTiming[] = [];
  const SECRET = 'my cat Whiskers is wonderful and I am happy';

  beforeAll(async () => {
    fx = await createFixture('ao-modules');
    node = await fx.startNode('node-a', { onEvaluated: (timing) => timings.push(timing) });
    // As in the app, the turn pipeline signs with the wallet Generation trusts as inference worker.
    ao = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.nodeWallet });
  });
  afterAll(async () => {
    await fx?.remove();
  });

  const info = async (client: AoClient, generation: string) =>
    JSON.parse(String((await client.dryrun({ process: generation, tags: [{ name: 'Action', value: 'Info' }] })).Output)) as { completedTurns: number };

  it('spawns the three, completes two turns, and a new node replays to the same state', async () => {
    const ids = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await node.publishModule(name, new Uint8Array(await readFile(path.join(dir, `${name}.wasm`))))] as const)),
    ) as Record<(typeof names)[number], string>;
    const worker = await fx.arweave.address();
    const processes = await spawnProcesses({ spawner: ao, modules: ids, scheduler: node.scheduler, worker, authority: node.scheduler });
    const pipeline = createAoPipeline({ ao, processes, logger: createLogger({ level: 'warn' }), timeoutMs: 15_000, pollMs: 10 });
    try {
      for (const [index, text] of [SECRET, 'what time is it?'].entries()) {
        const analysis = await pipeline.analyze({ turnId: `t${index}`, text, conversation: 'c1' });
        expect(analysis.understanding).toBeTypeOf('object');
        expect(analysis.sentiment).toBeTypeOf('object');
        expect(analysis.plan).toBeDefined();
        const committed = await pipeline.commit({ turnId: `t${index}`, replyHash: 'r', promptHash: 'p', tokens: 5 });
        const result = await ao.result(processes.generation, committed.inferenceResult!);
        expect(result.Messages?.[0]?.Tags).toContainEqual({ name: 'Action', value: 'Reply' });
      }
      // Someone else's Inference-Result is refused by Generation.
      const stranger = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
      const id = await stranger.send({ process: processes.generation, tags: [{ name: 'Action', value: 'Inference-Result' }, { name: 'Turn-Id', value: 't9' }], data: '{}' });
      expect(String((await stranger.result(processes.generation, id)).Output)).toMatch(/refused/);
    } finally {
      await pipeline.close();
    }
    await node.node.idle();
    const live = timings.filter((timing) => timing.slot > 0);
    const mean = live.reduce((sum, timing) => sum + timing.ms, 0) / live.length;
    console.log(`AO node (permachat modules): ${live.length} messages, mean evaluation ${mean.toFixed(2)} ms, max ${Math.max(...live.map((t) => t.ms)).toFixed(2)} ms`);

    expect((await info(ao, processes.generation)).completedTurns).toBe(2);
    const digests = names.map((name) => node.node.memoryDigest(processes[name]));
    await node.stop();
    for (const record of await fx.arweave.queryAll({ tags: [{ name: 'Type', values: ['AO-Log-Record'] }] })) {
      const bytes = Buffer.from(await fx.arweave.getData(record.id));
      expect(bytes.includes(Buffer.from('Whiskers'))).toBe(false);
    }
    const again = await fx.startNode('node-b');
    await again.node.idle();
    expect(names.map((name) => again.node.memoryDigest(processes[name]))).toEqual(digests);
    const client = createAoClient({ muUrl: again.muUrl, cuUrl: again.cuUrl, gatewayUrl: again.gatewayUrl, token: again.token, wallet: fx.nodeWallet });
    expect((await info(client, processes.generation)).completedTurns).toBe(2);
    await again.stop();
  });
});
