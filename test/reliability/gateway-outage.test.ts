// The Arweave gateway goes away for a while, then comes back: the bot keeps answering (AO
// pipeline and memory included), and every turn reaches Arweave once the gateway is back.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { loadConfig } from '../../src/config/config.js';
import { writeTestModel } from '../../src/inference/test-model.js';
import { createLogger } from '../../src/logger.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';

describe('Arweave gateway outage', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let gateway: LocalArweave;
  let runtime: Runtime;
  let env: Record<string, string>;
  const warnings: string[] = [];

  beforeAll(async () => {
    tmp = await makeTmpDir('outage');
    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
    const walletFile = path.join(tmp.dir, 'wallet.json');
    await loadOrCreateWallet(walletFile);
    const model = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(model);
    env = {
      DATA_DIR: path.join(tmp.dir, 'data'), MODEL_PATH: model, LLM_THREADS: '1', LLM_MAX_TOKENS: '4', ARWEAVE_URL: gateway.url, ARWEAVE_WALLET: walletFile,
      MEMORY_KEY: Buffer.alloc(32, 0x55).toString('base64'),
    };
    runtime = await createRuntime(loadConfig(env, {}, repoRoot), createLogger({ level: 'warn', write: (line) => warnings.push(line) }), { cwd: repoRoot });
  });
  afterAll(async () => {
    await runtime?.close();
    await gateway?.stop();
    await tmp?.remove();
  });

  it('answers through the outage and loses no turn', { timeout: 180_000 }, async () => {
    const say = async (n: number) => (await runtime.conversation.handleTurn({ channel: 'web', userId: 'outage-user', text: `outage turn ${n}` })).reply;
    for (let n = 0; n < 3; n++) expect(typeof (await say(n))).toBe('string');
    const port = gateway.port;
    await gateway.stop();
    for (let n = 3; n < 8; n++) expect(typeof (await say(n))).toBe('string');
    expect(await runtime.memory.memory.flush(1_000)).toBe(false);
    expect(warnings.join('\n')).toMatch(/could not reach Arweave/);

    gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave'), port });
    expect(await runtime.memory.memory.flush(60_000)).toBe(true);
    await runtime.ao?.node?.node.flush();
    for (let n = 8; n < 10; n++) expect(typeof (await say(n))).toBe('string');
    expect(await runtime.memory.memory.flush(30_000)).toBe(true);

    // Read back from Arweave alone (a new DATA_DIR): every turn, once.
    const exported = await runCli(['memory', 'export', '--user', 'web:outage-user'], { env: { ...env, DATA_DIR: path.join(tmp.dir, 'elsewhere') }, cwd: repoRoot });
    expect(exported.code, exported.stderr).toBe(0);
    const texts = (JSON.parse(exported.stdout) as { records: Array<{ kind: string; userText?: string }> }).records.filter((r) => r.kind === 'turn').map((r) => r.userText);
    expect(texts.sort()).toEqual(Array.from({ length: 10 }, (_, n) => `outage turn ${n}`).sort());
  });
});
