// Kill -9 the service at random moments across 200 scripted turns and restart it; the client
// sends a message it got no answer to again, with the same message id. Every turn is answered
// and is in memory on Arweave exactly once; no AO message is evaluated twice. Once with records
// in bundles to the embedded gateway, once through a Turbo upload stand-in in front of a gateway
// of the test's own (fewer turns: what differs is only how the outbox's items leave).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeyed } from '../../src/app/keyed-secrets.js';
import { startArlocal } from '../../src/arweave/arlocal.js';
import { createArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet, readWallet } from '../../src/arweave/wallet.js';
import { createMessageLog } from '../../src/ao/node/message-log.js';
import { userIdOf } from '../../src/channels/web/server.js';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { createLogger } from '../../src/logger.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';
import { serviceEntry, startService as startLogged, tinyServiceEnv } from '../support/service-process.js';
import { runCli } from '../support/run-cli.js';
import { skipWhenMissing } from '../support/prerequisite.js';
import { startTurboStub, type TurboStub } from '../support/turbo-stub.js';

interface UploadPath {
  upload: 'bundle' | 'turbo';
  turns: number;
  kills: number;
}
// Everything the service printed on stderr across its runs: shown when an assertion fails.
const serviceLog: string[] = [];
const startService = (env: NodeJS.ProcessEnv) => startLogged(env, serviceLog);

/** Sends one message as the widget does (with its message id); 'lost' when killed mid-turn. */
async function sendTurn(url: string, sessionId: string, message: string, messageId: string): Promise<'answered' | 'repeated' | 'lost'> {
  try {
    const response = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, message, messageId }) });
    const body = await response.text();
    if (!response.ok || !body.includes('event: done')) return 'lost';
    return body.includes('"repeated":true') ? 'repeated' : 'answered';
  } catch {
    return 'lost'; // killed mid-turn: not acknowledged
  }
}

const paths: UploadPath[] = [
  { upload: 'bundle', turns: 200, kills: 6 },
  { upload: 'turbo', turns: 60, kills: 3 },
];

describe.skipIf(skipWhenMissing(existsSync(serviceEntry), 'dist/ (npm run build)')).each(paths)('crash safety (kill -9 during $turns turns, ARWEAVE_UPLOAD=$upload)', ({ upload, turns: TURNS, kills: KILLS }) => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let env: NodeJS.ProcessEnv;
  // With Turbo: the gateway and the upload stand-in live in this process, the service is killed alone.
  let gateway: Awaited<ReturnType<typeof startArlocal>> | undefined;
  let turbo: TurboStub | undefined;
  const sessionId = 'crash-test-session-00000000000001';
  beforeAll(async () => {
    tmp = await makeTmpDir(`crash-${upload}`);
    const model = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(model);
    env = { ...tinyServiceEnv({ dir: tmp.dir, model, keyByte: 0x21, logLevel: 'warn' }), LLM_SEQUENCES: '2', RATE_LIMIT_PER_MINUTE: '100000' };
    if (upload === 'turbo') {
      gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'gateway') });
      turbo = await startTurboStub(createArweaveClient({ url: gateway.url, wallet: await loadOrCreateWallet(path.join(tmp.dir, 'turbo-wallet.json')), local: true }));
      const walletFile = path.join(tmp.dir, 'wallet.json');
      await loadOrCreateWallet(walletFile);
      env = { ...env, ARWEAVE_URL: gateway.url, ARWEAVE_WALLET: walletFile, ARWEAVE_UPLOAD: 'turbo', TURBO_UPLOAD_URL: turbo.url };
    }
  });
  afterAll(async () => {
    await turbo?.close();
    await gateway?.stop();
    await (process.env.KEEP_TMP ? console.log(`kept ${tmp.dir}`) : tmp?.remove());
  });
  /** The folder of the gateway's data, and the wallet that signed the service's items. */
  const gatewayData = () => (gateway ? path.join(tmp.dir, 'gateway') : path.join(tmp.dir, 'data', 'arweave'));
  const walletFile = () => (gateway ? path.join(tmp.dir, 'wallet.json') : path.join(tmp.dir, 'data', 'wallet.json'));

  it('answers every turn, retried after a kill as the widget does, and remembers each exactly once', { timeout: 900_000 }, async () => {
    const acknowledged = new Set<number>();
    let next = 0;
    let kills = 0;
    let retried = 0;
    let repeated = 0;
    // A message the service was killed on is sent again, with the same message id, first thing
    // after the restart (the widget's Retry).
    let retry: number | undefined;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    while (next < TURNS || retry !== undefined) {
      const { child, url, exited } = await startService(env);
      // Kill after a random number of turns (or mid-turn), or let the last batch finish.
      const budget = kills < KILLS ? 10 + Math.floor(random() * 30) : TURNS * 2;
      const killAt = kills < KILLS ? setTimeout(() => child.kill('SIGKILL'), 300 + random() * 4000) : undefined;
      let sent = 0;
      while ((next < TURNS || retry !== undefined) && sent < budget && child.exitCode === null && child.signalCode === null) {
        const n = retry ?? next++;
        if (retry !== undefined) retried++;
        retry = undefined;
        sent++;
        const outcome = await sendTurn(url, sessionId, `scripted turn number ${n}`, `scripted-turn-${n}`);
        if (outcome === 'lost') retry = n;
        else acknowledged.add(n);
        if (outcome === 'repeated') repeated++;
      }
      clearTimeout(killAt);
      if (child.exitCode === null && child.signalCode === null) {
        if (kills < KILLS) child.kill('SIGKILL');
        else child.kill('SIGTERM');
      }
      await exited;
      kills++;
    }
    console.log(`kill -9: ${kills - 1} kills, ${retried} messages sent again, ${repeated} of them answered from memory`);
    // One clean start drains whatever the outbox still holds (the AO log's backlog shares the
    // gateway with it, so that can take a while on 2 cores), then a clean stop.
    const last = await startService(env);
    const outbox = path.join(tmp.dir, 'data', 'memory', 'outbox');
    const pendingItems = async () => (await readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.item')).length;
    for (let waited = 0; (await pendingItems()) > 0 && waited < 120_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    last.child.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });
    expect(await pendingItems()).toBe(0);

    expect(acknowledged.size).toBe(TURNS);
    // Read the memory back from Arweave alone: a fresh DATA_DIR with the key and the Arweave data.
    const userId = userIdOf(sessionId);
    const fresh = path.join(tmp.dir, 'fresh');
    // The embedded gateway's data goes along; a gateway of the test's own (Turbo) is reached by ARWEAVE_URL.
    if (!gateway) await cp(gatewayData(), path.join(fresh, 'arweave'), { recursive: true });
    const exportFrom = async (dataDir: string) => {
      const exported = await runCli(['memory', 'export', '--user', `web:${userId}`], { env: { ...env, DATA_DIR: dataDir } as Record<string, string>, cwd: repoRoot });
      expect(exported.code, exported.stderr).toBe(0);
      const turns = (JSON.parse(exported.stdout) as { records: Array<{ id: string; kind: string; userText?: string; turnId?: string; at?: string }> }).records.filter((r) => r.kind === 'turn');
      return { turns, stderr: exported.stderr };
    };
    const { turns: records, stderr } = await exportFrom(fresh);
    const counts = new Map<string, number>();
    for (const record of records) counts.set(record.userText ?? '', (counts.get(record.userText ?? '') ?? 0) + 1);
    const wrong = [...acknowledged].filter((n) => counts.get(`scripted turn number ${n}`) !== 1);
    if (wrong.length > 0) {
      // What this machine's own cache holds of those turns tells a loss on the way to Arweave
      // from one before it; the service's log without its routine lines tells what went wrong.
      // Taken before the local export below, which drains the outbox into the same folder.
      const leftover = (await readdir(path.join(tmp.dir, 'data', 'memory', 'outbox')).catch(() => [])).filter((f) => f.endsWith('.item'));
      const pristine = path.join(tmp.dir, 'pristine-arweave');
      await cp(gatewayData(), pristine, { recursive: true });
      const local = (await exportFrom(path.join(tmp.dir, 'data'))).turns.filter((r) => wrong.some((n) => r.userText === `scripted turn number ${n}`));
      // How the gateway's own database held each such record when the service last stopped.
      const probe = await startArlocal({ dataDir: pristine });
      const client = createArweaveClient({ url: probe.url, wallet: await readWallet(walletFile()), local: true });
      const held = await Promise.all(local.map(async ({ id, turnId, at, userText }) => ({
        id, turnId, at, userText,
        inOutbox: leftover.some((f) => f.includes(id)),
        repairedAtStart: probe.repaired.includes(id),
        foundById: (await client.query({ tags: [], ids: [id] })).items.length,
        foundByTag: (await client.query({ tags: [{ name: 'App-Name', values: ['permachat'] }], ids: [id] })).items.length,
      })));
      await probe.stop();
      const unusual = serviceLog.join('').split('\n').filter((l) => l && !l.includes('half-written when the last run stopped'));
      expect.fail(`turns ${wrong.join(', ')} are not on Arweave exactly once (${wrong.map((n) => counts.get(`scripted turn number ${n}`) ?? 0).join(', ')} times)
local cache holds: ${JSON.stringify(held)}
outbox still holds ${leftover.length} item(s)
export said: ${stderr.slice(-2000)}
service said: ${unusual.join('\n').slice(-6000)}`);
    }
    for (const [text, count] of counts) expect(count, text).toBe(1);
    expect(new Set(records.map((r) => r.turnId)).size).toBe(records.length);
    // Through Turbo: every record arrived at the upload service, and was stored there once.
    if (turbo) for (const { id } of records) expect(turbo.stored.get(id), id).toBe(1);

    // No AO message evaluated twice: in the node's log on Arweave (read with the operator's key and
    // wallet, nothing local), each message holds one slot of its process.
    const readBack = gateway ? { url: gateway.url, stop: async () => undefined } : await startArlocal({ dataDir: path.join(fresh, 'arweave') });
    try {
      const wallet = await readWallet(walletFile());
      const keyed = await deriveKeyed(Buffer.from(env.MEMORY_KEY ?? '', 'base64'));
      const log = createMessageLog({
        dataDir: path.join(fresh, 'ao'), arweave: createArweaveClient({ url: readBack.url, wallet, local: true }), privateMode: true,
        cipher: keyed.cipher, pseudonym: keyed.processPseudonym, appName: 'permachat', logger: createLogger({ level: 'error' }), uploadDelayMs: 50,
      });
      const entries = await log.recover();
      await log.close();
      expect(entries.length).toBeGreaterThan(acknowledged.size * 3);
      const slots = new Map<string, number>();
      for (const entry of entries) {
        const key = `${entry.process}:${createHash('sha256').update(entry.item).digest('hex')}`;
        slots.set(key, (slots.get(key) ?? 0) + 1);
      }
      expect([...slots.values()].filter((count) => count > 1)).toEqual([]);
      // And no slot lost: each process's slots run without a gap.
      for (const pid of new Set(entries.map((e) => e.process))) {
        const numbers = entries.filter((e) => e.process === pid).map((e) => e.slot).sort((a, b) => a - b);
        expect(numbers, pid).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
      }
    } finally {
      await readBack.stop();
    }
  });
});
