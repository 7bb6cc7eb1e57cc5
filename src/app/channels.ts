/** Starts the channels configured for `permachat start`: the web server always, Telegram when a token is set. */
import { dataPaths } from '../config/paths.js';
import type { Runtime } from './runtime.js';
import { createTelegramInbox } from '../channels/telegram/inbox.js';
import { createWebServer } from '../channels/web/server.js';
import { createTelegramChannel } from '../channels/telegram/bot.js';
import { healthOf } from './health.js';

export interface RunningChannels {
  url: string;
  summary: string[];
  stop(): Promise<void>;
}

export async function startChannels(runtime: Runtime): Promise<RunningChannels> {
  const { config, logger, conversation } = runtime;
  const token = config.TELEGRAM_BOT_TOKEN;
  const telegram = token
    ? createTelegramChannel({
        token,
        ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
        // Anyone can POST to the webhook's path: the secret is what tells Telegram's updates from forged ones.
        ...(config.TELEGRAM_WEBHOOK_URL ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET ?? runtime.channelKeys.telegramWebhookSecret(token) } } : {}),
        conversation,
        logger: logger.child('telegram'),
        rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
        inbox: await createTelegramInbox({ dir: dataPaths(config.dataDir).telegramInbox, cipher: runtime.channelKeys.inboxCipher, logger: logger.child('telegram') }),
      })
    : undefined;
  const web = createWebServer({
    conversation,
    host: config.HOST,
    port: config.PORT,
    allowedOrigins: config.WIDGET_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustedProxies: config.TRUST_PROXY,
    logger: logger.child('web'),
    health: () => healthOf(runtime),
    ...(telegram?.webhookRoute ? { extraRoutes: [telegram.webhookRoute] } : {}),
  });
  const { url } = await web.start();
  const summary = [`web widget and API on ${url}`];
  try {
    if (telegram) {
      await telegram.start();
      summary.push(`Telegram bot (${config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'long polling'})`);
    }
  } catch (error) {
    await web.stop();
    throw error;
  }
  if (runtime.ao) summary.push(`AO ${runtime.ao.mode}: ${Object.entries(runtime.ao.processes).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  summary.push(`memory on ${runtime.arweave.url}`, `model ${runtime.model.id}`);
  return {
    url,
    summary,
    async stop() {
      await telegram?.stop();
      await web.stop();
    },
  };
}
