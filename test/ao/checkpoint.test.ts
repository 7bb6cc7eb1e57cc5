// Restarts start from a local checkpoint of each process's memory instead of replaying every
// message since the spawn; a checkpoint that does not match the log is ignored.
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAoClient, type AoClient } from '../../src/ao/client.js';
import type { EvalTiming } from '../../src/ao/node/ao-node.js';
import { LOG_RECORD_TYPE } from '../../src/ao/node/log-codec.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { buildCounterModule } from './fixtures/build-fixture.js';
import { createFixture, type Fixture } from './node-fixture.js';

describe('AO node checkpoints', () => {
  let fx: Fixture;
  let moduleId = '';
  let pid = '';
  const client = (node: StartedAoNode): AoClient => createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
  const tick = async (ao: AoClient) => String((await ao.result(pid, await ao.send({ process: pid, tags: [{ name: 'Action', value: 'Tick' }] }))).Output);

  beforeAll(async () => {
    fx = await createFixture('ao-checkpoint');
  });
  afterAll(async () => fx?.remove());

  it('replays only what came after the last checkpoint, to the same state', async () => {
    const first = await fx.startNode('cp-a', { checkpointEvery: 3 });
    moduleId = await first.publishModule('counter', await buildCounterModule());
    const ao = client(first);
    pid = await ao.spawn({ module: moduleId, scheduler: first.scheduler });
    for (let i = 0; i < 7; i++) await tick(ao);
    await first.node.idle();
    // A copy taken while running holds the checkpoint of slot 5 (every 3 slots: 2, 5), not the final one.
    await cp(path.join(fx.dir, 'cp-a'), path.join(fx.dir, 'cp-copy'), { recursive: true });
    await first.stop();

    const evaluated: EvalTiming[] = [];
    const resumed = await fx.startNode('cp-copy', { onEvaluated: (timing) => evaluated.push(timing) });
    await resumed.node.idle();
    expect(evaluated.map((timing) => timing.slot)).toEqual([6, 7]);
    // The same state (the count lives in memory; the fixture's heap garbage may differ, as it may
    // on any CU that restores a checkpoint into a fresh instance).
    const again = client(resumed);
    expect(String((await again.dryrun({ process: pid, tags: [{ name: 'Action', value: 'Count' }] })).Output)).toMatch(/^count=8 /);
    expect(await tick(again)).toMatch(/^count=9 /);
    await resumed.stop();
  });

  it('after a clean stop replays only newer messages, and everything when the checkpoint is damaged', async () => {
    const evaluated: EvalTiming[] = [];
    const again = await fx.startNode('cp-a', { onEvaluated: (timing) => evaluated.push(timing) });
    await again.node.idle();
    // cp-a stopped at slot 7 with a checkpoint; slot 8 (the tick above) is in the log on Arweave.
    expect(evaluated.map((timing) => timing.slot)).toEqual([8]);
    await again.stop();
    const clean = await fx.startNode('cp-a', { onEvaluated: (timing) => evaluated.push(timing) });
    await clean.node.idle();
    expect(evaluated.map((timing) => timing.slot)).toEqual([8]);
    const count = async (node: StartedAoNode) => String((await client(node).dryrun({ process: pid, tags: [{ name: 'Action', value: 'Count' }] })).Output);
    expect(await count(clean)).toMatch(/^count=9 /);
    await clean.stop();

    const dir = path.join(fx.dir, 'cp-a', 'checkpoints');
    for (const file of await readdir(dir)) await writeFile(path.join(dir, file), 'not a checkpoint');
    const replayed: EvalTiming[] = [];
    const full = await fx.startNode('cp-a', { onEvaluated: (timing) => replayed.push(timing) });
    await full.node.idle();
    expect(replayed.map((timing) => timing.slot)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await count(full)).toMatch(/^count=9 /);
    await full.stop();
  });

  it('a restart reads back from Arweave only the log records this machine has no receipt for', async () => {
    const reads: string[] = [];
    const counting = { ...fx.arweave, getData: (id: string) => (reads.push(id), fx.arweave.getData(id)) };
    const same = await fx.startNode('cp-a', { arweave: counting });
    await same.node.idle();
    const ownReads = reads.length;
    expect(String((await client(same).dryrun({ process: pid, tags: [{ name: 'Action', value: 'Count' }] })).Output)).toMatch(/^count=9 /);
    await same.stop();
    // Slot 8 was uploaded by the cp-copy node: cp-a has no receipt for it, so it reads that one.
    expect(ownReads).toBeLessThanOrEqual(2);

    reads.length = 0;
    const elsewhere = await fx.startNode('cp-new-machine', { arweave: counting });
    await elsewhere.node.idle();
    // A new machine has no receipts: it reads every log record on the gateway (how many depends
    // on how the uploads were batched, so the ids are compared, not a count), and the module.
    const records = await fx.arweave.queryAll({ tags: [{ name: 'Type', values: [LOG_RECORD_TYPE] }], owners: [await fx.arweave.address()] });
    expect(records.length).toBeGreaterThan(ownReads);
    expect(new Set(reads)).toEqual(new Set([moduleId, ...records.map((record) => record.id)]));
    expect(String((await client(elsewhere).dryrun({ process: pid, tags: [{ name: 'Action', value: 'Count' }] })).Output)).toMatch(/^count=9 /);
    await elsewhere.stop();
  });

  it('stores no plaintext of the process memory in private mode', async () => {
    const dir = path.join(fx.dir, 'cp-a', 'checkpoints');
    const files = await readdir(dir);
    expect(files.length).toBe(1);
    const bytes = await readFile(path.join(dir, files[0]!));
    // gzip's magic bytes would be there if the file were only compressed.
    expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(false);
    expect(bytes.includes(Buffer.from(pid))).toBe(false);
  });

  it('answers /result of a message evaluated before a restart, recomputed as a CU does', async () => {
    const first = await fx.startNode('result-a', { checkpointEvery: 2 });
    const ao = client(first);
    const process = await ao.spawn({ module: moduleId, scheduler: first.scheduler });
    const ids: string[] = [];
    const outputs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await ao.send({ process, tags: [{ name: 'Action', value: 'Tick' }] });
      ids.push(id);
      outputs.push(String((await ao.result(process, id)).Output));
    }
    await first.stop();
    // The restart starts from the checkpoint at slot 5: slots 1-4 are not evaluated again, and
    // their results are not held; asked for, they are recomputed from the log.
    const evaluated: EvalTiming[] = [];
    const again = await fx.startNode('result-a', { onEvaluated: (timing) => evaluated.push(timing) });
    await again.node.idle();
    expect(evaluated).toEqual([]);
    const later = client(again);
    for (const [index, id] of ids.entries()) expect(String((await later.result(process, id)).Output), `message ${index}`).toBe(outputs[index]);
    // The live state is untouched: the next tick counts on from the last.
    const next = await later.send({ process, tags: [{ name: 'Action', value: 'Tick' }] });
    expect(String((await later.result(process, next)).Output)).toMatch(/^count=7 /);
    await again.stop();
  });

  it('gives the messages of one process strictly increasing timestamps, also when they arrive at once', async () => {
    const node = await fx.startNode('timestamps');
    const ao = client(node);
    const process = await ao.spawn({ module: moduleId, scheduler: node.scheduler });
    await Promise.all(Array.from({ length: 40 }, () => ao.send({ process, tags: [{ name: 'Action', value: 'Tick' }] })));
    await node.node.idle();
    const stamps = (await node.node.results(process, { sort: 'ASC', limit: 100 })).map((stored) => stored.timestamp);
    expect(stamps).toHaveLength(41);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]!, `slot ${i}`).toBeGreaterThan(stamps[i - 1]!);
    await node.stop();
  });
});
