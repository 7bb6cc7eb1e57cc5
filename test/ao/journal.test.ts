import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAoClient } from '../../src/ao/client.js';
import type { ArweaveClient } from '../../src/arweave/client.js';
import { UnreachableError } from '../../src/errors.js';
import { buildCounterModule } from './fixtures/build-fixture.js';
import { createFixture, type Fixture } from './node-fixture.js';

describe('embedded AO node while Arweave uploads fail', () => {
  let fx: Fixture;

  beforeAll(async () => {
    fx = await createFixture('ao-journal');
  });
  afterAll(async () => {
    await fx?.remove();
  });

  it('keeps accepted messages in the local journal and uploads them on the next start', async () => {
    let uploadsDown = true;
    const flaky: ArweaveClient = {
      ...fx.arweave,
      postBundle: (items) => (uploadsDown ? Promise.reject(new UnreachableError('arweave', fx.arweave.url)) : fx.arweave.postBundle(items)),
    };
    const node = await fx.startNode('node', { arweave: flaky });
    const moduleId = await node.publishModule('counter', await buildCounterModule());
    const ao = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
    const pid = await ao.spawn({ module: moduleId, scheduler: node.scheduler });
    const id = await ao.send({ process: pid, tags: [{ name: 'Action', value: 'Tick' }] });
    expect(String((await ao.result(pid, id)).Output)).toMatch(/^count=2 /);
    await node.stop();
    expect(await fx.arweave.queryAll({ tags: [{ name: 'Type', values: ['AO-Log-Record'] }] })).toHaveLength(0);

    uploadsDown = false;
    const again = await fx.startNode('node', { arweave: flaky });
    await again.node.idle();
    await again.node.flush();
    // The spawn and the message, logged by one process in one batch: one record.
    expect(await fx.arweave.queryAll({ tags: [{ name: 'Type', values: ['AO-Log-Record'] }] })).toHaveLength(1);
    const client = createAoClient({ muUrl: again.muUrl, cuUrl: again.cuUrl, gatewayUrl: again.gatewayUrl, token: again.token, wallet: fx.userWallet });
    expect(String((await client.dryrun({ process: pid, tags: [{ name: 'Action', value: 'Count' }] })).Output)).toMatch(/^count=2 /);
  });
});
