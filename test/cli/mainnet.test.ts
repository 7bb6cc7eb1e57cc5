import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { createFixture, type Fixture } from '../ao/node-fixture.js';
import { startHyperbeamStub } from '../support/hyperbeam-stub.js';
import { repoRoot } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';

// AO_MODE=mainnet end to end from the command line: deploy through aoconnect's mainnet mode to a
// HyperBEAM stand-in, then a turn through the processes it spawned.
describe('permachat deploy and chat with AO_MODE=mainnet', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  let stub: Awaited<ReturnType<typeof startHyperbeamStub>>;

  beforeAll(async () => {
    fx = await createFixture('cli-mainnet');
    node = await fx.startNode('node');
    stub = await startHyperbeamStub(node.node);
  });
  afterAll(async () => {
    await stub?.stop();
    await fx?.remove();
  });

  it('deploys with the node\'s scheduler as Authority and answers a turn', { timeout: 180_000 }, async () => {
    const walletFile = path.join(fx.dir, 'operator-wallet.json');
    await loadOrCreateWallet(walletFile);
    const model = path.join(fx.dir, 'tiny.gguf');
    await writeTestModel(model);
    const env = {
      DATA_DIR: path.join(fx.dir, 'service'), MEMORY_KEY: Buffer.alloc(32, 5).toString('base64'),
      AO_MODE: 'mainnet', PRIVACY: 'public', AO_MU_URL: stub.url,
      ARWEAVE_URL: fx.gateway.url, ARWEAVE_WALLET: walletFile,
      MODEL_PATH: model, LLM_THREADS: '1', LLM_MAX_TOKENS: '8', LLM_SEQUENCES: '1', LLM_CONTEXT_SIZE: '2048',
    };
    const deployed = await runCli(['deploy', '--index-timeout', '60'], { env, cwd: repoRoot });
    expect(deployed.stderr).toBe('');
    expect(deployed.stdout).toMatch(/^NETWORK=mainnet:http/m);
    const generation = /PROCESS_GENERATION=(\S+)/.exec(deployed.stdout)?.[1];
    const spawn = stub.calls.find((call) => call.path === '/push');
    expect(spawn?.tags).toMatchObject({ Scheduler: node.scheduler, Authority: node.scheduler, 'execution-device': 'genesis-wasm@1.0' });

    const turn = await runCli(['chat', '--user', 'cli:mainnet', '--message', 'My brother Tomás turns 30 on 14 July and I am so happy for him!', '--json'], { env: { ...env, AO_REQUIRED: 'true' }, cwd: repoRoot });
    expect(turn.stderr).not.toMatch(/AO analysis failed/);
    expect(turn.code).toBe(0);
    const json = JSON.parse(turn.stdout) as { sentiment: { label: string }; ao: Record<string, string> };
    expect(json.sentiment.label).toBe('positive');
    expect(json.ao.generation).toBe(generation);
    expect(json.ao.understanding).toMatch(/^[\w-]{43}$/);
  });
});
