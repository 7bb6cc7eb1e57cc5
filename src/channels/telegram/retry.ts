/**
 * Bot API calls that survive Telegram's flood control and network drops: 429 waits
 * `retry_after` then retries; a dropped connection or a 5xx is retried with backoff; other
 * refusals go back to the caller to decide (e.g. a bad edit is not worth a retry).
 */
import { TelegramError } from 'telegraf';
import type { Logger } from '../../logger.js';

/** The Bot API's error code, or undefined when the API never answered (network). */
export function telegramStatus(error: unknown): number | undefined {
  return error instanceof TelegramError ? error.code : undefined;
}

export function telegramDescription(error: unknown): string {
  if (error instanceof TelegramError) return error.description;
  return error instanceof Error ? error.message : String(error);
}

const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';

export async function withTelegramRetry<T>(
  what: string,
  call: () => Promise<T>,
  opts: { logger: Pick<Logger, 'warn'>; attempts?: number; maxWaitMs?: number; sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = telegramStatus(error);
      const network = status === undefined && !isAbort(error);
      const retryable = status === 429 || network || (status !== undefined && status >= 500);
      if (attempt >= attempts || !retryable) throw error;
      const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
      const wait = Math.min(opts.maxWaitMs ?? 60_000, status === 429 && retryAfter ? retryAfter * 1000 : 250 * 2 ** attempt);
      const kind = status === 429 ? 'flood limit' : network ? 'network error' : `error ${status}`;
      opts.logger.warn(`telegram ${what}: ${kind} (${telegramDescription(error)}); retrying in ${wait} ms`);
      await sleep(wait);
    }
  }
}
