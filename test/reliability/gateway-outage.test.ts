// What records go through goes away for a while, then comes back: the Arweave gateway
// (ARWEAVE_UPLOAD=bundle), or the Turbo upload service in front of it (ARWEAVE_UPLOAD=turbo,
// a stand-in that forwards into the gateway). The bot keeps answering (AO pipeline and memory
// included), every turn reaches Arweave once the service is back, exactly once, and a new
// machine reads the whole conversation back from the gateway.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthOf } from '../../src/app/health.js';
import type { Runtime } from '../../src/app/runtime.js';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { createArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { repoRoot } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';
import { startTinyRuntime, type TinyRuntime } from '../support/tiny-runtime.js';
import { startTurboStub, type TurboStub } from '../support/turbo-stub.js';

interface Path {
  upload: 'bundle' | 'turbo';
  keyByte: number;
  /** What the failed sends say while it is away. */
  warning: RegExp;
}

describe.each<Path>([
  { upload: 'bundle', keyByte: 0x55, warning: /could not reach Arweave/ },
  { upload: 'turbo', keyByte: 0x66, warning: /could not reach Arweave.*turbo/ },
])('outage of what takes the records (ARWEAVE_UPLOAD=$upload)', ({ upload, keyByte, warning }) => {
  let service: TinyRuntime;
  let gateway: LocalArweave;
  let turbo: TurboStub | undefined;
  let runtime: Runtime;
  const warnings: string[] = [];

  beforeAll(async () => {
    // A gateway of its own (not the embedded one) so the test can stop and restart it.
    const servicesFirst = async (dir: string): Promise<Record<string, string>> => {
      gateway = await startArlocal({ dataDir: path.join(dir, 'arweave') });
      const walletFile = path.join(dir, 'wallet.json');
      await loadOrCreateWallet(walletFile);
      if (upload === 'bundle') return { ARWEAVE_URL: gateway.url, ARWEAVE_WALLET: walletFile };
      // The upload service pays the gateway itself: its own wallet.
      const serviceWallet = await loadOrCreateWallet(path.join(dir, 'turbo-wallet.json'));
      turbo = await startTurboStub(createArweaveClient({ url: gateway.url, wallet: serviceWallet, local: true }));
      return { ARWEAVE_URL: gateway.url, ARWEAVE_WALLET: walletFile, ARWEAVE_UPLOAD: 'turbo', TURBO_UPLOAD_URL: turbo.url };
    };
    service = await startTinyRuntime({ name: `outage-${upload}`, keyByte, before: servicesFirst, log: { level: 'warn', write: (line) => warnings.push(line) } });
    runtime = service.runtime;
  });
  afterAll(async () => {
    await service?.stop();
    await turbo?.close();
    await gateway?.stop();
    await service?.close();
  });

  const away = async () => {
    if (turbo) return turbo.stop();
    await gateway.stop();
  };
  const back = async () => {
    if (turbo) return turbo.restart();
    gateway = await startArlocal({ dataDir: path.join(service.dir, 'arweave'), port: gateway.port });
  };

  it('answers through the outage and stores every turn once', { timeout: 180_000 }, async () => {
    const written: string[] = [];
    const text = (n: number) => `my sister Ana lives in Porto 🇵🇹, turn ${n}`;
    const say = async (n: number) => {
      const result = await runtime.conversation.handleTurn({ channel: 'web', userId: 'outage-user', text: text(n) });
      expect(typeof result.reply).toBe('string');
      written.push(...(result.memory?.written ?? []));
    };
    for (let n = 0; n < 3; n++) await say(n);
    await away();
    for (let n = 3; n < 8; n++) await say(n);
    expect(await runtime.memory.flush(1_000)).toBe(false);
    expect(warnings.join('\n')).toMatch(warning);
    // What /health shows an operator meanwhile: the uploader, the turns waiting, the failed sends.
    const during = await healthOf(runtime);
    expect(during.arweave).toEqual({ uploader: upload });
    expect(during.memory.waitingForArweave).toBeGreaterThanOrEqual(5);
    expect(during.memory.failedSends).toBeGreaterThan(0);
    expect(during.ao?.waitingForArweave).toBeGreaterThan(0);

    await back();
    expect(await runtime.memory.flush(60_000)).toBe(true);
    await runtime.ao?.node?.flush();
    for (let n = 8; n < 10; n++) await say(n);
    expect(await runtime.memory.flush(30_000)).toBe(true);
    await runtime.ao?.node?.flush();
    expect(await healthOf(runtime)).toMatchObject({ memory: { waitingForArweave: 0 }, ao: { waitingForArweave: 0 } });
    if (turbo) {
      // The upload service stored each record once, and the AO node's log records went the same way.
      expect(written.length).toBeGreaterThanOrEqual(10);
      for (const id of written) expect(turbo.stored.get(id), id).toBe(1);
      expect(turbo.stored.size).toBeGreaterThan(written.length);
    }

    // Read back from Arweave alone (a new DATA_DIR): every turn, once.
    const exported = await runCli(['memory', 'export', '--user', 'web:outage-user'], { env: { ...service.env, DATA_DIR: path.join(service.dir, 'elsewhere') }, cwd: repoRoot });
    expect(exported.code, exported.stderr).toBe(0);
    const texts = (JSON.parse(exported.stdout) as { records: Array<{ kind: string; userText?: string }> }).records.filter((r) => r.kind === 'turn').map((r) => r.userText);
    expect(texts.sort()).toEqual(Array.from({ length: 10 }, (_, n) => text(n)).sort());
  });
});
