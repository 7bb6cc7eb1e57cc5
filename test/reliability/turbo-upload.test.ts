// ARWEAVE_UPLOAD=turbo against a stand-in of the upload service that forwards into a gateway:
// every record of every turn is stored there exactly once, also across an outage of the
// service, and a new machine reads the whole conversation back from the gateway.
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

describe('memory through a Turbo upload service', () => {
  let service: TinyRuntime;
  let gateway: LocalArweave;
  let turbo: TurboStub;
  let runtime: Runtime;
  const warnings: string[] = [];

  beforeAll(async () => {
    const servicesFirst = async (dir: string) => {
      gateway = await startArlocal({ dataDir: path.join(dir, 'arweave') });
      const walletFile = path.join(dir, 'wallet.json');
      // The service pays the gateway itself: its own wallet.
      const serviceWallet = await loadOrCreateWallet(path.join(dir, 'turbo-wallet.json'));
      turbo = await startTurboStub(createArweaveClient({ url: gateway.url, wallet: serviceWallet, local: true }));
      await loadOrCreateWallet(walletFile);
      return { ARWEAVE_URL: gateway.url, ARWEAVE_WALLET: walletFile, ARWEAVE_UPLOAD: 'turbo', TURBO_UPLOAD_URL: turbo.url };
    };
    service = await startTinyRuntime({ name: 'turbo', keyByte: 0x66, before: servicesFirst, log: { level: 'warn', write: (line) => warnings.push(line) } });
    runtime = service.runtime;
  });
  afterAll(async () => {
    await service?.stop();
    await turbo?.close();
    await gateway?.stop();
    await service?.close();
  });

  it('stores each record once, through an outage of the service, and reads back everything', { timeout: 180_000 }, async () => {
    const written: string[] = [];
    const say = async (n: number) => {
      const result = await runtime.conversation.handleTurn({ channel: 'web', userId: 'turbo-user', text: `my sister Ana lives in Porto, turn ${n}` });
      written.push(...(result.memory?.written ?? []));
    };
    for (let n = 0; n < 3; n++) await say(n);
    expect(await runtime.memory.memory.flush(30_000)).toBe(true);

    turbo.mode = 'down';
    for (let n = 3; n < 7; n++) await say(n);
    expect(await runtime.memory.memory.flush(1_000)).toBe(false);
    expect(warnings.join('\n')).toMatch(/503/);
    const during = await healthOf(runtime);
    expect(during.arweave).toEqual({ uploader: 'turbo' });
    expect(during.memory.waitingForArweave).toBeGreaterThanOrEqual(4);

    turbo.mode = 'up';
    expect(await runtime.memory.memory.flush(60_000)).toBe(true);
    await runtime.ao?.node?.node.flush();
    expect((await healthOf(runtime)).memory.waitingForArweave).toBe(0);
    expect(written.length).toBeGreaterThanOrEqual(7);
    for (const id of written) expect(turbo.stored.get(id), id).toBe(1);
    // The AO node's log records went the same way.
    expect(turbo.stored.size).toBeGreaterThan(written.length);

    const exported = await runCli(['memory', 'export', '--user', 'web:turbo-user'], { env: { ...service.env, DATA_DIR: path.join(service.dir, 'elsewhere') }, cwd: repoRoot });
    expect(exported.code, exported.stderr).toBe(0);
    const texts = (JSON.parse(exported.stdout) as { records: Array<{ kind: string; userText?: string }> }).records.filter((r) => r.kind === 'turn').map((r) => r.userText);
    expect(texts.sort()).toEqual(Array.from({ length: 7 }, (_, n) => `my sister Ana lives in Porto, turn ${n}`).sort());
  });
});
