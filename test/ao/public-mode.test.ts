import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAoClient } from '../../src/ao/client.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { buildCounterModule } from './fixtures/build-fixture.js';
import { createFixture, type Fixture } from './node-fixture.js';

describe('embedded AO node in public mode', () => {
  let fx: Fixture;
  let node: StartedAoNode;

  beforeAll(async () => {
    fx = await createFixture('ao-public');
    node = await fx.startNode('node', { privateMode: false });
  });
  afterAll(async () => {
    await fx?.remove();
  });

  it('writes readable log records tagged with the process id, spawns from the outbox, and recovers', async () => {
    const moduleId = await node.publishModule('counter', await buildCounterModule());
    const ao = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
    const pid = await ao.spawn({ module: moduleId, scheduler: node.scheduler });
    const id = await ao.send({ process: pid, tags: [{ name: 'Action', value: 'Tick' }], data: 'public words' });
    expect(String((await ao.result(pid, id)).Output)).toMatch(/^count=2 /);
    await node.node.flush();
    const records = await fx.arweave.queryAll({ tags: [{ name: 'Process', values: [pid] }] });
    // A record holds what the process logged during one upload batch: one or two here.
    expect(records.length).toBeGreaterThanOrEqual(1);
    const texts = await Promise.all(records.map(async (record) => new TextDecoder().decode(await fx.arweave.getData(record.id))));
    const entries = texts.flatMap((text) => JSON.parse(text) as Array<{ slot: number; process: string; item: string }>);
    expect(entries.map((entry) => entry.slot).sort()).toEqual([0, 1]);
    expect(entries.some((entry) => Buffer.from(entry.item, 'base64').includes(Buffer.from('public words')))).toBe(true);

    // An outbox Spawn becomes a process of its own, spawned by the node for its parent.
    const spawnId = await ao.send({ process: pid, tags: [{ name: 'Action', value: 'Spawn-Child' }] });
    expect((await ao.result(pid, spawnId)).Spawns).toHaveLength(1);
    await node.node.idle();
    const child = node.node.processIds().find((id) => id !== pid);
    expect(child).toBeDefined();
    const childResults = await ao.results(child!, {});
    expect(String(childResults.edges[0]?.node.Output)).toBe(`count=1 from=${pid}`);
    await node.stop();
    const again = await fx.startNode('node-2', { privateMode: false });
    await again.node.idle();
    const client = createAoClient({ muUrl: again.muUrl, cuUrl: again.cuUrl, gatewayUrl: again.gatewayUrl, token: again.token, wallet: fx.userWallet });
    expect(String((await client.dryrun({ process: pid, tags: [{ name: 'Action', value: 'Count' }] })).Output)).toMatch(/^count=3 /);
    expect(again.node.processIds().sort()).toEqual([pid, child!].sort());
  });
});
