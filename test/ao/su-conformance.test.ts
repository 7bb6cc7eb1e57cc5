import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Arweave from 'arweave';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAoClient, type AoClient } from '../../src/ao/client.js';
import { spawnProcesses } from '../../src/ao/deploy.js';
import { createAoPipeline, type PipelineProcesses } from '../../src/ao/pipeline.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { walletAddress } from '../../src/arweave/wallet.js';
import { cleanMessage } from '../../src/conversation/input.js';
import { createLogger } from '../../src/logger.js';
import { loadCorpus } from '../support/corpus.js';
import { createReferenceCu, type ReferenceResult } from '../support/reference-cu.js';
import { repoRoot } from '../support/tmp-dir.js';
import { createFixture, type Fixture } from './node-fixture.js';

// The SU contract: a compute unit that reads only the SU routes and the gateway, as the stock
// CU does, must compute exactly what the node computed, for every message of a real run.
const names = ['understanding', 'sentiment', 'generation'] as const;

describe('the embedded node as a legacy SU, read by a reference compute unit', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  let ao: AoClient;
  let processes: PipelineProcesses;

  beforeAll(async () => {
    fx = await createFixture('ao-su');
    node = await fx.startNode('node', { announce: true });
    ao = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
    const modules = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await node.publishModule(name, new Uint8Array(await readFile(path.join(repoRoot, 'build', 'modules', `${name}.wasm`))))] as const)),
    ) as Record<(typeof names)[number], string>;
    processes = await spawnProcesses({ spawner: ao, modules, scheduler: node.scheduler, worker: await walletAddress(fx.userWallet), authority: node.scheduler });
  });
  afterAll(async () => {
    await fx?.remove();
  });

  const scheduled = async (pid: string) => {
    const response = await fetch(`${node.suUrl}/${pid}?limit=1000`, { headers: { authorization: `Bearer ${node.token}` } });
    return (await response.json()) as { edges: Array<{ node: { message: { id: string } } }> };
  };

  it('serves a 200-message run that a reference CU recomputes byte for byte', { timeout: 240_000 }, async () => {
    // Realistic turns, some side by side (timestamps and slots under concurrency), plus a forgery.
    const corpus = loadCorpus().filter((_, index) => index % 8 === 0).slice(0, 42);
    const pipeline = createAoPipeline({ ao, processes, logger: createLogger({ level: 'error' }), timeoutMs: 30_000, pollMs: 10, pushesBeforeResult: true });
    try {
      await Promise.all(
        [0, 1].map(async (lane) => {
          for (const [index, message] of corpus.entries()) {
            if (index % 2 !== lane) continue;
            const turnId = `su-${index}`;
            await pipeline.analyze({ turnId, text: cleanMessage(message.text), conversation: `lane-${lane}` });
            await pipeline.commit({ turnId, replyHash: 'c'.repeat(64), promptHash: 'd'.repeat(64), tokens: 11 });
          }
        }),
      );
    } finally {
      await pipeline.close();
    }
    const stranger = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: await Arweave.crypto.generateJWK() });
    await stranger.send({ process: processes.generation, tags: [{ name: 'From-Process', value: processes.understanding }, { name: 'Action', value: 'Analyzed' }, { name: 'Turn-Id', value: 'su-0' }], data: '{}' });
    await node.node.idle();

    const reference = createReferenceCu({ gatewayUrl: node.gatewayUrl, token: node.token, pageSize: 25 });
    expect(await reference.locate(node.scheduler)).toBe(node.suUrl);
    let compared = 0;
    for (const pid of [processes.understanding, processes.sentiment, processes.generation]) {
      const ours: ReferenceResult[] = await reference.evaluate(pid, node.scheduler);
      expect(ours.map((r) => r.messageId)).toEqual((await scheduled(pid)).edges.map((edge) => edge.node.message.id));
      for (const { messageId, result } of ours) {
        const nodeResult = await node.node.result(pid, messageId);
        expect(JSON.stringify(result), `process ${pid}, message ${messageId}`).toBe(JSON.stringify(nodeResult));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(200);
  });

  it('answers the other SU routes in the scheduler unit\'s shapes', async () => {
    const get = async (route: string) => {
      const response = await fetch(`${node.suUrl}${route}`, { headers: { authorization: `Bearer ${node.token}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect((await get('')).body).toMatchObject({ address: node.scheduler, timestamp: expect.stringMatching(/^\d{13}$/) });
    expect((await get('/timestamp')).body).toMatchObject({ timestamp: expect.stringMatching(/^\d{13}$/), block_height: expect.stringMatching(/^\d{12}$/) });
    const processJson = (await get(`/processes/${processes.sentiment}`)).body;
    expect(processJson).toMatchObject({ process_id: processes.sentiment, owner: { address: await walletAddress(fx.userWallet) } });
    const latest = (await get(`/${processes.sentiment}/latest`)).body as { message: { id: string }; assignment: { tags: Array<{ name: string; value: string }> } };
    const byId = (await get(`/${latest.message.id}?process-id=${processes.sentiment}`)).body;
    expect(byId).toEqual(latest);
    expect(latest.assignment.tags).toContainEqual({ name: 'Message', value: latest.message.id });
    // Bad input: a clear 400, an unknown id a 404; no token, 401.
    expect((await get(`/${processes.sentiment}?from=yesterday`)).status).toBe(400);
    expect((await get(`/${'x'.repeat(43)}?process-id=${processes.sentiment}`)).status).toBe(404);
    expect((await fetch(`${node.suUrl}/timestamp`)).status).toBe(401);
  });

  it('serves the same schedule after a restart, from its log', { timeout: 60_000 }, async () => {
    const before = await scheduled(processes.generation);
    await node.stop();
    node = await fx.startNode('node', { announce: true });
    expect(await scheduled(processes.generation)).toEqual(before);
    const reference = createReferenceCu({ gatewayUrl: node.gatewayUrl, token: node.token });
    // The newest Scheduler-Location record names the new port.
    expect(await reference.locate(node.scheduler)).toBe(node.suUrl);
  });
});
