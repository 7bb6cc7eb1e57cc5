import { describe, expect, it } from 'vitest';
import { TelegramError } from 'telegraf';
import { withTelegramRetry } from '../../../src/channels/telegram/retry.js';
import { createMemoryLogger } from '../../../src/logger.js';

describe('withTelegramRetry', () => {
  const waits: number[] = [];
  const opts = () => ({ logger: createMemoryLogger(), sleep: async (ms: number) => void waits.push(ms) });

  it('retries a dropped connection with growing backoff, then succeeds', async () => {
    waits.length = 0;
    let calls = 0;
    const result = await withTelegramRetry('sendMessage', async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('socket hang up'), { name: 'FetchError', code: 'ECONNRESET' });
      return 'sent';
    }, opts());
    expect(result).toBe('sent');
    expect(calls).toBe(3);
    expect(waits[1]).toBeGreaterThan(waits[0] ?? Infinity);
  });

  it('waits retry_after on 429 and gives up on other 4xx at once', async () => {
    waits.length = 0;
    let calls = 0;
    await withTelegramRetry('sendMessage', async () => {
      calls += 1;
      if (calls === 1) throw new TelegramError({ error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 3 } });
      return true;
    }, opts());
    expect(waits).toEqual([3000]);

    calls = 0;
    const refused = withTelegramRetry('editMessageText', async () => {
      calls += 1;
      throw new TelegramError({ error_code: 400, description: 'Bad Request: message to edit not found' });
    }, opts());
    await expect(refused).rejects.toThrow(/message to edit not found/);
    expect(calls).toBe(1);
  });

  it('stops after the last attempt and rethrows', async () => {
    let calls = 0;
    const failing = withTelegramRetry('sendMessage', async () => {
      calls += 1;
      throw new TelegramError({ error_code: 502, description: 'Bad Gateway' });
    }, { ...opts(), attempts: 3 });
    await expect(failing).rejects.toThrow(/Bad Gateway/);
    expect(calls).toBe(3);
  });
});
