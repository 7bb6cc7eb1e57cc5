// The Arweave gateway goes away for a while, then comes back: the bot keeps answering (AO
// pipeline and memory included), and every turn reaches Arweave once the gateway is back.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthOf } from '../../src/app/health.js';
import type { Runtime } from '../../src/app/runtime.js';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { repoRoot } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';
import { startTinyRuntime, type TinyRuntime } from '../support/tiny-runtime.js';

describe('Arweave gateway outage', () => {
  let service: TinyRuntime;
  let gateway: LocalArweave;
  let runtime: Runtime;
  const warnings: string[] = [];

  beforeAll(async () => {
    // A gateway of its own (not the embedded one) so the test can stop and restart it.
    const gatewayFirst = async (dir: string) => {
      gateway = await startArlocal({ dataDir: path.join(dir, 'arweave') });
      const walletFile = path.join(dir, 'wallet.json');
      await loadOrCreateWallet(walletFile);
      return { ARWEAVE_URL: gateway.url, ARWEAVE_WALLET: walletFile };
    };
    service = await startTinyRuntime({ name: 'outage', keyByte: 0x55, before: gatewayFirst, log: { level: 'warn', write: (line) => warnings.push(line) } });
    runtime = service.runtime;
  });
  afterAll(async () => {
    await service?.stop();
    await gateway?.stop();
    await service?.close();
  });

  it('answers through the outage and loses no turn', { timeout: 180_000 }, async () => {
    const say = async (n: number) => (await runtime.conversation.handleTurn({ channel: 'web', userId: 'outage-user', text: `outage turn ${n}` })).reply;
    for (let n = 0; n < 3; n++) expect(typeof (await say(n))).toBe('string');
    const port = gateway.port;
    await gateway.stop();
    for (let n = 3; n < 8; n++) expect(typeof (await say(n))).toBe('string');
    expect(await runtime.memory.memory.flush(1_000)).toBe(false);
    expect(warnings.join('\n')).toMatch(/could not reach Arweave/);
    // What /health shows an operator meanwhile: the turns waiting, the failed sends.
    const during = await healthOf(runtime);
    expect(during.memory.waitingForArweave).toBeGreaterThanOrEqual(5);
    expect(during.memory.failedSends).toBeGreaterThan(0);
    expect(during.ao?.waitingForArweave).toBeGreaterThan(0);

    gateway = await startArlocal({ dataDir: path.join(service.dir, 'arweave'), port });
    expect(await runtime.memory.memory.flush(60_000)).toBe(true);
    await runtime.ao?.node?.node.flush();
    for (let n = 8; n < 10; n++) expect(typeof (await say(n))).toBe('string');
    expect(await runtime.memory.memory.flush(30_000)).toBe(true);
    await runtime.ao?.node?.node.flush();
    expect(await healthOf(runtime)).toMatchObject({ memory: { waitingForArweave: 0 }, ao: { waitingForArweave: 0 } });

    // Read back from Arweave alone (a new DATA_DIR): every turn, once.
    const exported = await runCli(['memory', 'export', '--user', 'web:outage-user'], { env: { ...service.env, DATA_DIR: path.join(service.dir, 'elsewhere') }, cwd: repoRoot });
    expect(exported.code, exported.stderr).toBe(0);
    const texts = (JSON.parse(exported.stdout) as { records: Array<{ kind: string; userText?: string }> }).records.filter((r) => r.kind === 'turn').map((r) => r.userText);
    expect(texts.sort()).toEqual(Array.from({ length: 10 }, (_, n) => `outage turn ${n}`).sort());
  });
});
