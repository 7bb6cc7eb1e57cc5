// The service as `npm start` runs it: a 30-turn conversation of realistic messages is analysed
// by AO on every turn (the default AO_REQUIRED=false, so a failure would show as a fallback in
// the log and in /health), then SIGTERM stops it cleanly: it exits with 0 after its shutdown has
// run (memory outbox drained, AO log uploaded, gateway closed), not killed half-way by a
// library's signal handler.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal } from '../../src/arweave/arlocal.js';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { serviceEntry, startService, tinyServiceEnv } from '../support/service-process.js';
import { makeTmpDir } from '../support/tmp-dir.js';
import { loadCorpus, type CorpusMessage } from '../support/corpus.js';
import { skipWhenMissing } from '../support/prerequisite.js';

const TURNS = 30;

/** 30 messages of the realistic corpus, of every kind, long ones included, in a fixed order. */
function conversation(): string[] {
  const corpus = loadCorpus();
  const step = Math.floor(corpus.length / TURNS);
  return Array.from({ length: TURNS }, (_, i) => (corpus[i * step] as CorpusMessage).text.trim()).filter((text) => text.length > 0);
}

describe.skipIf(skipWhenMissing(existsSync(serviceEntry), 'dist/ (npm run build)'))('a realistic conversation through the service, then a clean stop on SIGTERM', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('clean-stop');
  });
  afterAll(async () => tmp?.remove());

  it('exits with 0 after draining the memory outbox, and leaves no half-written transaction', { timeout: 120_000 }, async () => {
    const model = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(model);
    // Without NODE_ENV=test (which the test runner sets): the GraphQL server inside arlocal only
    // installs its own signal handlers outside tests, as in production.
    const { NODE_ENV: _testEnv, ...parentEnv } = process.env;
    const dataDir = path.join(tmp.dir, 'data');
    const env = { ...tinyServiceEnv({ dir: tmp.dir, model, keyByte: 0x42, logLevel: 'warn', parent: parentEnv }), RATE_LIMIT_PER_MINUTE: '100000', AO_REQUIRED: 'false' };
    const log: string[] = [];
    const service = await startService(env, log);
    for (const message of conversation()) {
      const response = await fetch(`${service.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'clean-stop-session-0000000000000001', message }) });
      expect(await response.text()).toContain('event: done');
    }
    expect(log.join('')).not.toMatch(/AO analysis failed/);
    const health = (await (await fetch(`${service.url}/health`)).json()) as { ok: boolean; memory: { waitingForArweave: number; failedSends: number } };
    expect(health).toMatchObject({ ok: true, memory: { failedSends: 0 }, turns: { total: TURNS, answeredWithoutAo: 0, aoFailures: 0 } });
    expect(health.memory.waitingForArweave).toBeGreaterThanOrEqual(0);
    service.child.kill('SIGTERM');
    expect(await service.exited, log.join('')).toEqual({ code: 0, signal: null });
    expect((await readdir(path.join(dataDir, 'memory', 'outbox'))).filter((f) => f.endsWith('.item'))).toEqual([]);
    const gateway = await startArlocal({ dataDir: path.join(dataDir, 'arweave') });
    await gateway.stop();
    expect(gateway.repaired).toEqual([]);
  });
});
