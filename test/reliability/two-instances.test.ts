// Two services share one Arweave gateway and one memory key, each with its own DATA_DIR (cache,
// outbox, AO node), as two `permachat start` behind a load balancer; a user alternates between
// them. Each turn's prompt holds the turns the other one acknowledged and posted, and every turn
// is remembered once.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { repoRoot } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';
import { startTinyRuntime, type TinyRuntime } from '../support/tiny-runtime.js';

describe('two instances, one memory', () => {
  let gateway: LocalArweave | undefined;
  const services: TinyRuntime[] = [];

  beforeAll(async () => {
    const shared = async (dir: string): Promise<Record<string, string>> => {
      gateway ??= await startArlocal({ dataDir: path.join(dir, 'shared-arweave') });
      const walletFile = path.join(dir, 'wallet.json');
      await loadOrCreateWallet(walletFile);
      // Read through on every turn: the test alternates faster than any sensible interval.
      return { ARWEAVE_URL: gateway.url, ARWEAVE_WALLET: walletFile, MEMORY_REFRESH_SECONDS: '0' };
    };
    for (const name of ['instance-a', 'instance-b']) {
      services.push(await startTinyRuntime({ name, keyByte: 0x77, before: shared, log: { level: 'error', write: () => undefined } }));
    }
  });
  afterAll(async () => {
    for (const service of services) await service.stop();
    await gateway?.stop();
    for (const service of services) await service.close();
  });

  it('a user alternating between them finds the other instance\'s last turn in each prompt; each turn once', { timeout: 240_000 }, async () => {
    const said = [
      'Hola! Soy Lucía, vivo en Valencia',
      'my brother Tomás just turned 30 🎂',
      'I teach piano to 12 kids on Saturdays',
      'what is my brother called?',
      'and where do I live?',
      'how many piano students do I have?',
    ];
    for (const [n, text] of said.entries()) {
      const service = services[n % 2] as TinyRuntime;
      const result = await service.runtime.conversation.handleTurn({ channel: 'web', userId: 'lucia', text });
      // Posted before the user moves on (what "acknowledged and posted" means here).
      expect(await service.runtime.memory.flush(30_000)).toBe(true);
      const recalled = (result.memory?.recalled ?? []).join('\n');
      // The turn just before was taken on the other instance: it must be in this one's prompt.
      if (n > 0) expect(recalled, `turn ${n} on ${n % 2 ? 'B' : 'A'}`).toContain(said[n - 1]);
    }
    for (const service of services) {
      const exported = await service.runtime.memory.exportUser('web:lucia');
      expect(exported.records.flatMap((r) => (r.kind === 'turn' ? [r.userText] : []))).toEqual(said);
    }
    // A third machine with only the key reads the same from the gateway.
    const third = services[0] as TinyRuntime;
    const cold = await runCli(['memory', 'export', '--user', 'web:lucia'], { env: { ...third.env, DATA_DIR: path.join(third.dir, 'third') }, cwd: repoRoot });
    expect(cold.code, cold.stderr).toBe(0);
    const texts = (JSON.parse(cold.stdout) as { records: Array<{ kind: string; userText?: string }> }).records.filter((r) => r.kind === 'turn').map((r) => r.userText);
    expect(texts).toEqual(said);
  });
});
