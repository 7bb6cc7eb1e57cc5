// `permachat memory export|rebuild` against the embedded gateway in DATA_DIR, as an operator runs them.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal } from '../../src/arweave/arlocal.js';
import { createArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createMemory } from '../../src/memory/memory.js';
import { runCli } from '../support/run-cli.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

const masterKey = new Uint8Array(32).fill(9);
const turn = (userText: string) => ({ turnId: `t-${userText}`, userText, reply: 'ok', at: new Date().toISOString() });

describe('permachat memory', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    tmp = await makeTmpDir('cli-memory');
    env = { DATA_DIR: tmp.dir, MEMORY_KEY: Buffer.from(masterKey).toString('base64') };
  });
  afterAll(async () => tmp?.remove());

  it('rebuild reads a damaged cache again from Arweave; export then shows every turn', async () => {
    const wallet = await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json'));
    const gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
    const online = await createMemory({ arweave: createArweaveClient({ url: gateway.url, wallet, local: true }), masterKey, dataDir: tmp.dir, logger: createMemoryLogger() });
    await online.rememberTurn('cli:ivy', turn('first, on Arweave'));
    await online.rememberTurn('cli:ivy', turn('second, on Arweave'));
    await online.close();
    await gateway.stop();
    // One more while the gateway is away: it waits in the outbox (this memory is never closed).
    const offline = await createMemory({ arweave: createArweaveClient({ url: 'http://127.0.0.1:9', wallet, local: true }), masterKey, dataDir: tmp.dir, logger: createMemoryLogger(), outbox: { batchDelayMs: 3_600_000 } });
    await offline.rememberTurn('cli:ivy', turn('third, in the outbox'));
    // The disk loses the cache's first two lines.
    const file = path.join(tmp.dir, 'memory', 'cache', `${online.crypto.pseudonym('cli:ivy')}.jsonl`);
    await writeFile(file, (await readFile(file, 'utf8')).split('\n').slice(2).join('\n'));

    const texts = async () => {
      const exported = await runCli(['memory', 'export', '--user', 'cli:ivy'], { env, cwd: repoRoot });
      expect(exported.code, exported.stderr).toBe(0);
      return (JSON.parse(exported.stdout) as { records: Array<{ userText?: string }> }).records.map((r) => r.userText);
    };
    // Its first read reads through the gateway (another instance could have written since), which
    // brings back what the disk lost; rebuild rewrites the file from every source.
    expect(await texts()).toEqual(['first, on Arweave', 'second, on Arweave', 'third, in the outbox']);
    const rebuilt = await runCli(['memory', 'rebuild', '--user', 'cli:ivy'], { env, cwd: repoRoot });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    // The export's stop sent the third (the gateway is up again), so the gateway lists all three.
    expect(JSON.parse(rebuilt.stdout)).toEqual({ user: 'cli:ivy', records: 3, notIndexed: 0 });
    expect(await texts()).toEqual(['first, on Arweave', 'second, on Arweave', 'third, in the outbox']);
  });

  it('stats counts one user\'s records, their bytes on Arweave, and the oldest and newest turn', async () => {
    const run = await runCli(['memory', 'stats', '--user', 'cli:ivy'], { env, cwd: repoRoot });
    expect(run.code, run.stderr).toBe(0);
    const stats = JSON.parse(run.stdout) as { records: number; turns: number; sealedBytes: number; itemBytes: number; oldestTurn: string; newestTurn: string };
    expect(stats).toMatchObject({ user: 'cli:ivy', records: 3, turns: 3 });
    // Each record: its text and reply as JSON, sealed (24-byte nonce, 16-byte tag); as an item,
    // an RSA-4096 signature and owner (512 bytes each) and the tags on top.
    expect(stats.sealedBytes).toBeGreaterThan(3 * 40);
    expect(stats.itemBytes - stats.sealedBytes).toBeGreaterThan(3 * 1024);
    expect(stats.oldestTurn <= stats.newestTurn).toBe(true);
  });

  it('names the actions when given another', async () => {
    const run = await runCli(['memory', 'wipe', '--user', 'cli:ivy'], { env, cwd: repoRoot });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('export|rebuild|stats');
  });
});
