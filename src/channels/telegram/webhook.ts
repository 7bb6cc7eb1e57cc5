/**
 * The Telegram webhook as a Web-standard route, for the web server to mount on its port. Anyone
 * can POST to its path: the secret registered with setWebhook is what tells Telegram's updates
 * from forged ones, which could otherwise act as whichever user they name (read their /memory, /forget them).
 */
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { InputError } from '../../errors.js';
import { sameSecret } from '../../hash.js';
import type { Logger } from '../../logger.js';

/** What Telegram accepts as a webhook's secret_token. */
const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

export function checkWebhookSecret(secret: string): void {
  if (!WEBHOOK_SECRET.test(secret)) {
    throw new InputError('the Telegram webhook needs a secret of 1-256 characters of A-Z a-z 0-9 _ -', { hint: 'set TELEGRAM_WEBHOOK_SECRET, or leave it unset to use the derived one' });
  }
}

export interface WebhookRoute {
  /** POSTs to this path are updates. */
  path: string;
  handle(request: Request, clientAddress: string): Promise<Response>;
}

/**
 * A request without the secret gets 401 and is never read. An update is handled (its message
 * saved to the inbox) before Telegram gets its 200 and forgets the update.
 */
export function createWebhookRoute(bot: Telegraf, opts: { path: string; secret: string; logger: Logger }): WebhookRoute {
  checkWebhookSecret(opts.secret);
  return {
    path: opts.path,
    async handle(request, clientAddress) {
      const presented = request.headers.get('x-telegram-bot-api-secret-token');
      if (presented === null || !sameSecret(presented, opts.secret)) {
        opts.logger.debug(`telegram: refused a webhook request without the right secret token from ${clientAddress}`);
        return new Response(null, { status: 401 });
      }
      let update: Update;
      try {
        update = (await request.json()) as Update;
      } catch {
        return new Response(null, { status: 415 });
      }
      await bot.handleUpdate(update);
      return new Response(null, { status: 200 });
    },
  };
}
