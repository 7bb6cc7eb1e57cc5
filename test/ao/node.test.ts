import { ArweaveSigner, createData } from '@dha-team/arbundles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Arweave from 'arweave';
import { freePort } from '../../src/arweave/arlocal.js';
import { createAoClient, type AoClient, type AoResult } from '../../src/ao/client.js';
import type { EvalTiming } from '../../src/ao/node/ao-node.js';
import { measureEvaluation } from '../../src/ao/node/measure.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { RemoteRefusedError, UnreachableError } from '../../src/errors.js';
import { buildCounterModule } from './fixtures/build-fixture.js';
import { createFixture, type Fixture } from './node-fixture.js';

const output = (result: AoResult) => String(result.Output);
const SECRET = 'plaintext-that-must-not-leak-7f3a';

describe('embedded AO node with unmodified aoconnect', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  let ao: AoClient;
  let moduleId: string;
  let user: string;
  let p1: string;
  let p2: string;
  const timings: EvalTiming[] = [];

  beforeAll(async () => {
    fx = await createFixture('ao-node');
    node = await fx.startNode('node-a', { onEvaluated: (timing) => timings.push(timing) });
    moduleId = await node.publishModule('counter', await buildCounterModule());
    ao = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
    user = await Arweave.init({}).wallets.jwkToAddress(fx.userWallet);
  });
  afterAll(async () => {
    await fx?.remove();
  });

  async function waitForResults(process: string, count: number) {
    for (let i = 0; i < 200; i++) {
      const page = await ao.results(process, { limit: 100 });
      if (page.edges.length >= count) return page;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`process ${process} never reached ${count} results`);
  }

  it('spawns processes from a module on Arweave and evaluates a message', async () => {
    p1 = await ao.spawn({ module: moduleId, scheduler: node.scheduler, tags: [{ name: 'Name', value: 'one' }] });
    p2 = await ao.spawn({ module: moduleId, scheduler: node.scheduler, tags: [{ name: 'Name', value: 'two' }] });
    expect(p1).toMatch(/^[\w-]{43}$/);
    const id = await ao.send({ process: p1, tags: [{ name: 'Action', value: 'Forward' }, { name: 'Forward-To', value: p2 }], data: SECRET });
    const result = await ao.result(p1, id);
    expect(output(result)).toBe(`count=2 from=${user}`);
    expect(result.Messages?.[0]?.Target).toBe(p2);
  });

  it('delivers an outbox message to the target process, From = the sending process', async () => {
    const page = await waitForResults(p2, 2);
    expect(output(page.edges[1]!.node)).toBe(`count=2 from=${p1}`);
  });

  it('answers no client without its token: every route, a wrong token too', async () => {
    const base = node.muUrl.replace(/\/mu$/, '');
    const attempts: Array<[string, RequestInit]> = [
      [`${base}/`, {}],
      [`${base}/mu`, { method: 'POST', body: 'not an item' }],
      [`${base}/cu/result/${'a'.repeat(43)}?process-id=${p1}`, {}],
      [`${base}/cu/results/${p1}`, {}],
      [`${base}/cu/dry-run?process-id=${p1}`, { method: 'POST', body: '{}' }],
    ];
    for (const [url, init] of attempts) {
      expect((await fetch(url, init)).status, url).toBe(401);
      expect((await fetch(url, { ...init, headers: { authorization: `Bearer ${node.token}x` } })).status, url).toBe(401);
    }
    expect((await fetch(`${base}/cu/results/${p1}`, { headers: { authorization: `Bearer ${node.token}` } })).status).toBe(200);
  });

  it('computes From as the stock CU does: a From-Process tag from anyone becomes From (modules check Owner)', async () => {
    // The real network does this; the modules' Authority check (ao-processes/lib/trust.ts) is the defence.
    const id = await ao.send({ process: p2, tags: [{ name: 'From-Process', value: p1 }] });
    expect(output(await ao.result(p2, id))).toBe(`count=3 from=${p1}`);
  });

  it('dry-runs on a copy of the state: nothing persists', async () => {
    const first = await ao.dryrun({ process: p1, tags: [{ name: 'Action', value: 'Ping' }] });
    const second = await ao.dryrun({ process: p1, tags: [{ name: 'Action', value: 'Ping' }] });
    expect(output(first)).toBe('count=3 from=1234');
    expect(output(second)).toBe('count=3 from=1234');
  });

  it('pages results with cursors (from is exclusive)', async () => {
    const latest = await ao.results(p1, { sort: 'DESC', limit: 1 });
    const cursor = latest.edges[0]!.cursor;
    const id = await ao.send({ process: p1, tags: [{ name: 'Action', value: 'Tick' }] });
    await ao.result(p1, id);
    const after = await ao.results(p1, { from: cursor });
    expect(after.edges.map((edge) => output(edge.node))).toEqual([`count=3 from=${user}`]);
  });

  it('reports a module failure as Error and keeps the state', async () => {
    const id = await ao.send({ process: p1, tags: [{ name: 'Action', value: 'Boom' }] });
    const result = await ao.result(p1, id);
    expect(result.Error).toBeDefined();
    expect(output(await ao.dryrun({ process: p1, tags: [{ name: 'Action', value: 'Count' }] }))).toBe('count=3 from=1234');
    // console.log survives a trapping module (the loader itself does not restore it).
    expect(console.log.toString()).not.toContain('return null');
  });

  it('schedules a data item posted twice only once', async () => {
    const signer = new ArweaveSigner(fx.userWallet);
    const item = createData(' ', signer, { target: p1, tags: [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Message' }, { name: 'Action', value: 'Tick' }] });
    await item.sign(signer);
    const answers = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(node.muUrl, { method: 'POST', headers: { authorization: `Bearer ${node.token}` }, body: new Uint8Array(item.getRaw()) });
      answers.push(((await response.json()) as { id: string }).id);
    }
    expect(answers).toEqual([item.id, item.id]);
    expect(output(await ao.result(p1, item.id))).toBe(`count=4 from=${user}`);
    expect(output(await ao.dryrun({ process: p1, tags: [{ name: 'Action', value: 'Count' }] }))).toBe('count=4 from=1234');
  });

  it('classifies failures: the node refused vs. nothing listening', async () => {
    await expect(ao.send({ process: 'z'.repeat(43), tags: [] })).rejects.toBeInstanceOf(RemoteRefusedError);
    await expect(ao.result(p1, 'q'.repeat(43))).rejects.toBeInstanceOf(RemoteRefusedError);
    const port = await freePort();
    const down = createAoClient({ muUrl: `http://127.0.0.1:${port}/mu`, cuUrl: `http://127.0.0.1:${port}/cu`, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
    await expect(down.send({ process: p1, tags: [] })).rejects.toBeInstanceOf(UnreachableError);
    await expect(down.dryrun({ process: p1 })).rejects.toBeInstanceOf(UnreachableError);
  });

  it('writes only ciphertext to Arweave in private mode', async () => {
    await node.node.flush();
    const ids = node.node.logRecordIds();
    // 2 spawns, Forward, the pushed Forwarded, the forged From-Process, Tick, Boom, Tick: a record
    // holds what one process logged in one upload batch.
    expect((await node.node.scheduled(p1)).length + (await node.node.scheduled(p2)).length).toBe(8);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids.length).toBeLessThanOrEqual(8);
    const found = await fx.arweave.queryAll({ tags: [{ name: 'Type', values: ['AO-Log-Record'] }] });
    expect(found.map((item) => item.id).sort()).toEqual([...ids].sort());
    for (const item of found) {
      const tagText = JSON.stringify(item.tags);
      expect(tagText).not.toContain(p1);
      expect(tagText).not.toContain(p2);
      const bytes = Buffer.from(await fx.arweave.getData(item.id));
      for (const needle of [SECRET, p1, p2, 'Forward-To', user]) {
        expect(bytes.includes(Buffer.from(needle))).toBe(false);
        expect(bytes.toString('base64').includes(Buffer.from(needle).toString('base64'))).toBe(false);
      }
    }
  });

  it('a new node on the same Arweave replays to the same state without evaluating twice', async () => {
    await node.node.idle();
    const before = { p1: node.node.memoryDigest(p1), p2: node.node.memoryDigest(p2) };
    await node.stop();
    const fresh = await fx.startNode('node-b');
    const again = createAoClient({ muUrl: fresh.muUrl, cuUrl: fresh.cuUrl, gatewayUrl: fresh.gatewayUrl, token: fresh.token, wallet: fx.userWallet });
    await fresh.node.idle();
    expect(fresh.node.processIds().sort()).toEqual([p1, p2].sort());
    expect({ p1: fresh.node.memoryDigest(p1), p2: fresh.node.memoryDigest(p2) }).toEqual(before);
    // p2 got exactly one forwarded message: a replay that pushed again would make it 4.
    expect(output(await again.dryrun({ process: p2, tags: [{ name: 'Action', value: 'Count' }] }))).toBe('count=3 from=1234');
    const id = await again.send({ process: p1, tags: [{ name: 'Action', value: 'Tick' }] });
    expect(output(await again.result(p1, id))).toBe(`count=5 from=${user}`);
    await fresh.stop();
  });

  it('measures evaluation alone with measureEvaluation', async () => {
    const measured = await measureEvaluation({
      bytes: await buildCounterModule(),
      messages: Array.from({ length: 20 }, (_, index) => ({ tags: [{ name: 'Action', value: index === 5 ? 'Boom' : 'Tick' }] })),
    });
    expect(measured.perMessageMs).toHaveLength(20);
    expect(measured.errors).toBe(1);
    console.log(`measureEvaluation (counter module): mean ${measured.meanMs.toFixed(3)} ms per message`);
  });

  it('prints evaluation time per message (for the benchmark)', () => {
    const live = timings.filter((timing) => timing.slot > 0);
    expect(live.length).toBeGreaterThan(0);
    const mean = live.reduce((sum, timing) => sum + timing.ms, 0) / live.length;
    console.log(`AO node (counter module): ${live.length} messages, mean evaluation ${mean.toFixed(2)} ms`);
  });
});
