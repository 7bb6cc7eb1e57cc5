/**
 * The Telegram channel (telegraf): long polling, or a webhook mounted on the web server.
 * Private chats always get an answer; in groups the bot answers when mentioned, replied to or
 * commanded — decided before the model runs — and each member has a memory of their own in each
 * group, apart from their private one: what someone said in private is never recalled (or shown)
 * in front of a group.
 */
import { Telegraf } from 'telegraf';
import type { Chat, Message } from 'telegraf/types';
import { COMMANDS, createCommands, type Commands } from '../../conversation/commands.js';
import { createKeyedQueue } from '../../conversation/keyed-queue.js';
import type { ConversationPort } from '../../conversation/types.js';
import { describeError, RemoteRefusedError, UnreachableError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { createRateLimiter } from '../rate-limit.js';
import { createAnswerer, type AnswerDeps } from './answer-turn.js';
import { addressedText, conversationUserId, quoting, type ChatContext } from './chats.js';
import type { InboxEntry, TelegramInbox } from './inbox.js';
import { telegramDescription, telegramStatus, withTelegramRetry } from './retry.js';
import { checkWebhookSecret, createWebhookRoute } from './webhook.js';

export interface TelegramChannelDeps extends Omit<AnswerDeps, 'telegram'> {
  token: string;
  apiRoot?: string;
  /**
   * Webhook mode. `secret` is registered with setWebhook as secret_token; a request without it
   * in X-Telegram-Bot-Api-Secret-Token is refused (401) before it is read.
   */
  webhook?: { url: string; path?: string; secret: string };
  rateLimitPerMinute: number;
  /** Accepted messages kept until answered, so that a crash loses none (absent: in memory only). */
  inbox?: TelegramInbox;
  now?: () => number;
}

type Retry = <T>(what: string, call: () => Promise<T>) => Promise<T>;

interface HandlerDeps {
  deps: TelegramChannelDeps;
  commands: Commands;
  retry: Retry;
  /** Queues an accepted message for its answer. */
  enqueue(entry: InboxEntry): void;
}

function replyIn(retry: Retry, ctx: ChatContext, text: string): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return Promise.resolve();
  return retry('sendMessage', () => ctx.telegram.sendMessage(chatId, text, quoting(ctx.chat?.type, ctx.message?.message_id))).then(() => undefined);
}

/** What /memory answers in a group: to the member alone when Telegram lets the bot write to them. */
async function memoryInGroup(h: HandlerDeps, ctx: ChatContext & { chat: Chat; from: { id: number } }, summary: string): Promise<void> {
  const title = 'title' in ctx.chat ? ctx.chat.title : 'this group';
  try {
    await h.retry('sendMessage', () => ctx.telegram.sendMessage(ctx.from.id, `In “${title}”: ${summary}`));
    await replyIn(h.retry, ctx, 'I sent you what I remember in a private message.');
  } catch (error) {
    // A bot may write to a person only after they opened a chat with it. The summary holds
    // only what was said in this group, which the group has seen already.
    h.deps.logger.debug(`telegram: /memory could not be sent privately (${telegramDescription(error)}); answering in the group`);
    await replyIn(h.retry, ctx, `${summary}\n\n(Only what you said in this group. Open a private chat with me to get this privately.)`);
  }
}

/** Per member and chat: over the limit, one polite notice per window, not one per message. */
function createRateGuard(h: Pick<HandlerDeps, 'deps' | 'retry'>) {
  const now = h.deps.now ?? Date.now;
  const limiter = createRateLimiter({ perMinute: h.deps.rateLimitPerMinute, now });
  const warned = new Map<string, number>();
  return (ctx: ChatContext, userId: string): boolean => {
    const key = `${ctx.chat?.id}:${userId}`;
    const wait = limiter.check(key);
    if (wait === undefined) return true;
    if (now() - (warned.get(key) ?? -Infinity) > wait * 1000) {
      warned.set(key, now());
      void replyIn(h.retry, ctx, `You're sending messages faster than I can think. Give me ${wait} s, please.`).catch(() => undefined);
    }
    return false;
  };
}

function registerHandlers(bot: Telegraf, h: HandlerDeps): void {
  const { deps } = h;
  const log = deps.logger;
  const withinRate = createRateGuard(h);
  // telegraf matches `/name` and `/name@thisbot` (not another bot's); what they do is shared.
  bot.command(COMMANDS.map((entry) => entry.command), async (ctx) => {
    const answered = await h.commands.run({ name: ctx.command.toLowerCase(), args: ctx.payload }, conversationUserId(ctx.chat, ctx.from.id));
    if (!answered) return;
    if (answered.command === 'memory' && ctx.chat.type !== 'private') await memoryInGroup(h, ctx, answered.text);
    else await replyIn(h.retry, ctx, answered.text);
  });
  bot.on('message', async (ctx, next) => {
    if (!('text' in ctx.message) || ctx.message.text.startsWith('/')) return next();
    const text = addressedText(ctx.message as Message.TextMessage, ctx.botInfo);
    if (!text) return;
    if (!withinRate(ctx, String(ctx.from.id))) return;
    const entry: InboxEntry = { chatId: ctx.chat.id, chatType: ctx.chat.type, messageId: ctx.message.message_id, userId: String(ctx.from.id), text, receivedAt: (deps.now ?? Date.now)() };
    // telegraf asks Telegram for the next updates (which drops this one) once this handler
    // returns: the message must be on disk by then.
    const saved = await deps.inbox?.add(entry).catch((error: unknown) => {
      log.error(`telegram: message ${entry.messageId} in chat ${entry.chatId} could not be saved to the inbox (${describeError(error)}); it is answered, but would be lost in a crash`);
      return true;
    });
    // Already waiting in the inbox: Telegram delivered it again after a crash; it is answered once.
    if (saved === false) return;
    h.enqueue(entry);
  });
  bot.catch((error, ctx) => {
    log.error(`telegram: update ${ctx.update.update_id} failed: ${describeError(error)}`);
  });
}

/** getMe, with a refusal (a bad token) told apart from a Bot API that cannot be reached. */
async function identify(bot: Telegraf, retry: Retry, apiRoot: string | undefined): Promise<void> {
  try {
    bot.botInfo = await retry('getMe', () => bot.telegram.getMe());
  } catch (error) {
    const status = telegramStatus(error);
    if (status === undefined) throw new UnreachableError('Telegram Bot API', apiRoot ?? 'the Telegram Bot API', { cause: error, hint: 'check the network (or TELEGRAM_API_ROOT) and start again' });
    throw new RemoteRefusedError('Telegram Bot API', status, telegramDescription(error), {
      cause: error,
      hint: status === 401 || status === 404 ? 'the bot token was refused: check TELEGRAM_BOT_TOKEN (from @BotFather)' : 'try again in a minute',
    });
  }
}

/** Starts long polling: `running` resolves once the poller runs, and rejects if launching fails. */
function launchPolling(bot: Telegraf, log: Logger): { launched: Promise<void>; running: Promise<void> } {
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  const launched = bot.launch({ dropPendingUpdates: false }, () => started());
  const failed = launched.then(
    () => undefined,
    (error: unknown) => {
      log.error(`telegram: polling stopped: ${describeError(error)}`);
      throw error;
    },
  );
  return { launched, running: Promise.race([running, failed]) };
}

/**
 * launch() creates its poller only after its own deleteWebhook call, so a stop right after
 * start() can come too early: it is tried again until the poller exists or launch ended.
 */
async function stopPolling(bot: Telegraf, launched: Promise<void>): Promise<void> {
  let settled = false;
  const running = launched.then(() => undefined, () => undefined).finally(() => (settled = true));
  while (!settled) {
    try {
      bot.stop('shutdown');
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  await running;
}

export function createTelegramChannel(deps: TelegramChannelDeps) {
  if (deps.webhook) checkWebhookSecret(deps.webhook.secret);
  const bot = new Telegraf(deps.token, { telegram: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}), webhookReply: false } });
  const log = deps.logger;
  const retry: Retry = (what, call) => withTelegramRetry(what, call, { logger: log });
  const answer = createAnswerer({ ...deps, telegram: bot.telegram });
  // Turns run beside telegraf's update loop (which awaits its handlers): one slow reply must
  // not hold up everyone else's updates. One queue per member keeps their turns in order.
  const queue = createKeyedQueue();
  const enqueue = (target: InboxEntry) =>
    void queue
      .run(`${target.chatId}:${target.userId}`, async () => {
        await answer(target);
        // The inbox entry goes once its answer (or an error report) was sent.
        await deps.inbox?.remove(target);
      })
      .catch((error: unknown) => log.error(`telegram: the turn of user ${target.userId} failed: ${describeError(error)}`));
  registerHandlers(bot, { deps, commands: createCommands({ conversation: deps.conversation, channel: 'telegram' }), retry, enqueue });
  const webhook = deps.webhook;
  let launched: Promise<void> | undefined;

  return {
    /** Webhook mode: the route the web server mounts on its port. */
    webhookRoute: webhook ? createWebhookRoute(bot, { path: webhook.path ?? new URL(webhook.url).pathname, secret: webhook.secret, logger: log }) : undefined,
    async start(): Promise<void> {
      await identify(bot, retry, deps.apiRoot);
      await retry('setMyCommands', () => bot.telegram.setMyCommands([...COMMANDS])).catch((error: unknown) => log.warn(`telegram: setMyCommands failed: ${telegramDescription(error)}`));
      // Messages accepted before a crash (or a stop that could not finish them) come first.
      const waiting = (await deps.inbox?.pending()) ?? [];
      if (waiting.length > 0) log.info(`telegram: answering ${waiting.length} message(s) accepted before the last stop`);
      for (const entry of waiting) enqueue(entry);
      if (webhook) {
        await retry('setWebhook', () => bot.telegram.setWebhook(webhook.url, { secret_token: webhook.secret }));
        log.info(`telegram: @${bot.botInfo?.username} ready (webhook ${webhook.url})`);
        return;
      }
      const polling = launchPolling(bot, log);
      launched = polling.launched;
      await polling.running;
      log.info(`telegram: @${bot.botInfo?.username} ready (long polling)`);
    },
    async stop(): Promise<void> {
      if (!webhook && launched) await stopPolling(bot, launched);
      // Replies already being written are finished, not cut off.
      await queue.drain();
    },
  };
}
