import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Arweave from 'arweave';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProcesses } from '../../src/ao/deploy.js';
import { createMainnetClient } from '../../src/ao/mainnet-client.js';
import { createAoPipeline, type PipelineProcesses } from '../../src/ao/pipeline.js';
import { sentimentSchema, understandingSchema } from '../../src/ao/protocol.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { walletAddress } from '../../src/arweave/wallet.js';
import { createLogger } from '../../src/logger.js';
import { startHyperbeamStub } from '../support/hyperbeam-stub.js';
import { repoRoot } from '../support/tmp-dir.js';
import { createFixture, type Fixture } from './node-fixture.js';

// AO_MODE=mainnet: the same turn pipeline through aoconnect's mainnet mode, against a stand-in
// of a HyperBEAM node's HTTP calls (the embedded node evaluating underneath).
const names = ['understanding', 'sentiment', 'generation'] as const;

describe('the turn pipeline over aoconnect mainnet mode (HyperBEAM stand-in)', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  let stub: Awaited<ReturnType<typeof startHyperbeamStub>>;
  let client: ReturnType<typeof createMainnetClient>;
  let processes: PipelineProcesses;

  beforeAll(async () => {
    fx = await createFixture('ao-mainnet');
    node = await fx.startNode('node');
    stub = await startHyperbeamStub(node.node);
    client = createMainnetClient({ url: stub.url, wallet: fx.userWallet });
    const modules = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await node.publishModule(name, new Uint8Array(await readFile(path.join(repoRoot, 'build', 'modules', `${name}.wasm`))))] as const)),
    ) as Record<(typeof names)[number], string>;
    const scheduler = await client.schedulerAddress();
    processes = await spawnProcesses({ spawner: client, modules, scheduler, worker: await walletAddress(fx.userWallet), authority: scheduler });
  });
  afterAll(async () => {
    await stub?.stop();
    await fx?.remove();
  });

  it('spawns with the HyperBEAM devices and the Authority, signed', () => {
    const spawns = stub.calls.filter((call) => call.path === '/push');
    expect(spawns).toHaveLength(3);
    for (const spawn of spawns) {
      expect(spawn.tags).toMatchObject({ Type: 'Process', 'execution-device': 'genesis-wasm@1.0', 'scheduler-device': 'scheduler@1.0', 'push-device': 'push@1.0', Scheduler: node.scheduler, Authority: node.scheduler });
    }
  });

  it('answers realistic turns, following Generation slot by slot', { timeout: 120_000 }, async () => {
    const pipeline = createAoPipeline({ ao: client, processes, logger: createLogger({ level: 'error' }), timeoutMs: 30_000, pollMs: 20 });
    try {
      const turns = ['My sister Ana moved to Porto on 3 March 2024 and I miss her 😢', 'Could you remind me what time the 7:45 train to Lisbon leaves on Fridays?', "Je suis tellement content, j'ai enfin fini ma thèse !"];
      for (const [index, text] of turns.entries()) {
        const turnId = `mainnet-${index}`;
        const analysis = await pipeline.analyze({ turnId, text, conversation: 'mainnet-user' });
        expect(analysis.ao?.understanding).toMatch(/^[\w-]{43}$/);
        understandingSchema.parse(analysis.understanding);
        sentimentSchema.parse(analysis.sentiment);
        await pipeline.commit({ turnId, replyHash: 'e'.repeat(64), promptHash: 'f'.repeat(64), tokens: 9 });
      }
    } finally {
      await pipeline.close();
    }
    // Results were read slot by slot: mainnet's `results` gives only the current slot.
    expect(stub.calls.some((call) => /\/slot\/current$/.test(call.path))).toBe(true);
    expect(stub.calls.some((call) => /compute\/results=\d+$/.test(call.path))).toBe(true);
  });

  it('pages results by slot number from a cursor', async () => {
    const head = await client.results(processes.generation, { sort: 'DESC', limit: 1 });
    const current = Number(head.edges[0]?.cursor);
    const page = await client.results(processes.generation, { from: String(current - 3) });
    expect(page.edges.map((edge) => edge.cursor)).toEqual([current - 2, current - 1, current].map(String));
    const info = await client.dryrun({ process: processes.generation, tags: [{ name: 'Action', value: 'Info' }] });
    expect(JSON.parse(String(info.Output))).toMatchObject({ completedTurns: 3, pendingTurns: 0 });
  });

  it('says the node is unreachable when it is', async () => {
    const gone = createMainnetClient({ url: 'http://127.0.0.1:9', wallet: fx.userWallet });
    await expect(gone.send({ process: processes.generation, tags: [{ name: 'Action', value: 'Info' }] })).rejects.toThrow(/unreachable/);
  });
});

describe('mainnet results carrying a process error', () => {
  it('hands a slot whose evaluation failed to the reader as a result, not as a refusal', async () => {
    // A node whose only slot evaluated to an Error: the watcher must see it to report it.
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = /\/slot\/current$/.test(req.url ?? '') ? '0' : JSON.stringify({ raw: { Error: 'Generation: out of memory', Messages: [] } });
        res.writeHead(200, { 'content-type': /slot\/current/.test(req.url ?? '') ? 'text/plain' : 'application/json' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = createMainnetClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, wallet: await Arweave.crypto.generateJWK() });
      const page = await client.results('p'.repeat(43), {});
      expect(page.edges).toHaveLength(1);
      expect(page.edges[0]?.node.Error).toBe('Generation: out of memory');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
