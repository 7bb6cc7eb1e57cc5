// 50 concurrent web sessions for 60 seconds against the real service (tiny model, AO node,
// memory on arlocal): every message answered, resident memory bounded. This is an overload on
// 2 cores, so the test is also about degrading gracefully: a turn whose AO analysis lags past
// its timeout is answered without it (AO_REQUIRED=false here) and counted, never lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebServer } from '../../src/channels/web/server.js';
import { createLogger } from '../../src/logger.js';
import { startTinyRuntime, type TinyRuntime } from '../support/tiny-runtime.js';

const SESSIONS = 50;
const SECONDS = 60;

describe('load: 50 web sessions for 60 seconds', () => {
  let service: TinyRuntime;
  let web: ReturnType<typeof createWebServer>;
  let url = '';
  const errors: string[] = [];

  beforeAll(async () => {
    const log = { level: 'error' as const, write: (line: string) => errors.push(line) };
    service = await startTinyRuntime({ name: 'load', keyByte: 0x44, env: { LLM_SEQUENCES: '4', RATE_LIMIT_PER_MINUTE: '100000', AO_REQUIRED: 'false' }, log });
    web = createWebServer({ conversation: service.runtime.conversation, host: '127.0.0.1', port: 0, allowedOrigins: ['*'], rateLimitPerMinute: 100000, logger: createLogger(log) });
    url = (await web.start()).url;
  });
  afterAll(async () => {
    await web?.stop();
    await service?.close();
  });

  it('answers every message without errors and keeps memory bounded', { timeout: (SECONDS + 120) * 1000 }, async () => {
    const deadline = Date.now() + SECONDS * 1000;
    let answered = 0;
    const failures: string[] = [];
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss / 2 ** 20), 1000);
    await Promise.all(
      Array.from({ length: SESSIONS }, async (_, s) => {
        const sessionId = `load-session-${String(s).padStart(20, '0')}`;
        for (let turn = 0; Date.now() < deadline; turn++) {
          const response = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, message: `session ${s} says hello ${turn}` }) });
          const body = await response.text();
          if (response.ok && body.includes('event: done')) answered++;
          else failures.push(`${response.status} ${body.slice(0, 200)}`);
        }
      }),
    );
    clearInterval(sampler);
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    expect(answered).toBeGreaterThan(SESSIONS);
    // Counted for /health, and the exception: most turns are analysed even in overload.
    const stats = service.runtime.conversation.stats();
    expect(stats.answeredWithoutAo).toBe(stats.aoFailures);
    expect(stats.answeredWithoutAo / stats.turns).toBeLessThan(0.25);
    // Bounded: the second half of the run grows by much less than the first half's level.
    const half = rss.slice(Math.floor(rss.length / 2));
    expect(Math.max(...half) - Math.min(...half)).toBeLessThan(300);
    console.log(`load: ${answered} turns answered in ${SECONDS} s by ${SESSIONS} sessions (${stats.answeredWithoutAo} without AO); RSS ${Math.round(Math.min(...rss))}–${Math.round(Math.max(...rss))} MiB`);
  });
});
