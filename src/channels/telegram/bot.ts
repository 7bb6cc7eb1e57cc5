/**
 * The Telegram channel (telegraf): long polling, or a webhook mounted on the web server.
 * Private chats always get an answer; in groups the bot answers when mentioned, replied to or
 * commanded — decided before the model runs — and each member has a memory of their own in each
 * group, apart from their private one: what someone said in private is never recalled (or shown)
 * in front of a group.
 */
import { Telegraf, type Context } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import { COMMANDS, createCommands } from '../../conversation/commands.js';
import { createKeyedQueue } from '../../conversation/keyed-queue.js';
import type { ConversationPort } from '../../conversation/types.js';
import { describeError, InputError, RemoteRefusedError, UnreachableError } from '../../errors.js';
import { sameSecret } from '../../hash.js';
import type { Logger } from '../../logger.js';
import { createRateLimiter } from '../rate-limit.js';
import type { InboxEntry, TelegramInbox } from './inbox.js';
import { createReplyStream } from './reply-stream.js';
import { telegramDescription, telegramStatus, withTelegramRetry } from './retry.js';

export interface TelegramChannelDeps {
  token: string;
  apiRoot?: string;
  /**
   * Webhook mode. `secret` is registered with setWebhook as secret_token; a request without it
   * in X-Telegram-Bot-Api-Secret-Token is refused (401) before it is read.
   */
  webhook?: { url: string; path?: string; secret: string };
  conversation: ConversationPort;
  logger: Logger;
  rateLimitPerMinute: number;
  /** Minimum time between edits (or drafts) of a streamed reply. */
  editIntervalMs?: number;
  /** How replies stream in private chats: a live draft (default; edits when refused) or edits. */
  privateStreaming?: 'draft' | 'edit';
  typingIntervalMs?: number;
  /** Accepted messages kept until answered, so that a crash loses none (absent: in memory only). */
  inbox?: TelegramInbox;
  now?: () => number;
}

type TextContext = Context<Update.MessageUpdate<Message.TextMessage>>;

/** What Telegram accepts as a webhook's secret_token. */
const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The conversation's user id: the person in a private chat (`12345`), the person in this group
 * in any other chat (`-100987:12345`), so a group recalls only what was said in that group.
 */
export const conversationUserId = (chat: { id: number; type: string }, fromId: number | string): string =>
  chat.type === 'private' ? String(fromId) : `${chat.id}:${fromId}`;

export function createTelegramChannel(deps: TelegramChannelDeps) {
  // Without a secret anyone could post updates "from" any user (read their /memory, /forget them).
  if (deps.webhook && !WEBHOOK_SECRET.test(deps.webhook.secret)) {
    throw new InputError('the Telegram webhook needs a secret of 1-256 characters of A-Z a-z 0-9 _ -', { hint: 'set TELEGRAM_WEBHOOK_SECRET, or leave it unset to use the derived one' });
  }
  const bot = new Telegraf(deps.token, { telegram: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}), webhookReply: false } });
  const log = deps.logger;
  const now = deps.now ?? Date.now;
  const limiter = createRateLimiter({ perMinute: deps.rateLimitPerMinute, now });
  // Turns run beside telegraf's update loop (which awaits its handlers): one slow reply must
  // not hold up everyone else's updates. One queue per member keeps their turns in order.
  const queue = createKeyedQueue();
  const commands = createCommands({ conversation: deps.conversation, channel: 'telegram' });
  const warned = new Map<string, number>();
  const webhookPath = deps.webhook ? (deps.webhook.path ?? new URL(deps.webhook.url).pathname) : undefined;
  const retry = <T>(what: string, call: () => Promise<T>) => withTelegramRetry(what, call, { logger: log });
  // Drafts are a recent Bot API method: once refused, this bot streams by editing.
  let drafts = (deps.privateStreaming ?? 'draft') === 'draft';
  let nextDraftId = 0;

  /** Group messages count only when they are meant for the bot. */
  function addressed(ctx: TextContext): { text: string } | undefined {
    const message = ctx.message;
    const username = ctx.botInfo?.username ?? '';
    if (message.chat.type === 'private') return { text: message.text };
    const mention = username ? new RegExp(`@${username}\\b`, 'i') : undefined;
    const repliedToBot = message.reply_to_message?.from?.id === ctx.botInfo?.id;
    if (mention?.test(message.text)) return { text: message.text.replace(mention, '').trim() };
    if (repliedToBot) return { text: message.text };
    return undefined;
  }

  type ChatContext = Pick<Context, 'telegram'> & { chat?: { id: number; type: string } | undefined; message?: { message_id: number } | undefined };

  /** In groups an answer quotes the member's message, so everyone sees whom it answers. */
  const quoting = (chatType: string | undefined, messageId: number | undefined) =>
    (chatType === 'group' || chatType === 'supergroup') && messageId !== undefined ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } } : {};

  async function reply(ctx: ChatContext, text: string): Promise<void> {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    await retry('sendMessage', () => ctx.telegram.sendMessage(chatId, text, quoting(ctx.chat?.type, ctx.message?.message_id)));
  }

  function withinRate(ctx: ChatContext, userId: string): boolean {
    const key = `${ctx.chat?.id}:${userId}`;
    const wait = limiter.check(key);
    if (wait === undefined) return true;
    // One polite notice per window, not one per message.
    const last = warned.get(key) ?? -Infinity;
    if (now() - last > wait * 1000) {
      warned.set(key, now());
      void reply(ctx, `You're sending messages faster than I can think. Give me ${wait} s, please.`).catch(() => undefined);
    }
    return false;
  }

  /** Replies to a message that may come from the inbox (no telegraf context after a restart). */
  async function replyTo(target: InboxEntry, text: string): Promise<void> {
    await retry('sendMessage', () => bot.telegram.sendMessage(target.chatId, text, quoting(target.chatType, target.messageId)));
  }

  async function answer(target: InboxEntry): Promise<void> {
    const { chatId, userId } = target;
    const member = conversationUserId({ id: chatId, type: target.chatType }, userId);
    const telegram = bot.telegram;
    const replyParameters = quoting(target.chatType, target.messageId);
    const typing = () => telegram.sendChatAction(chatId, 'typing').catch((error: unknown) => log.debug(`typing: ${telegramDescription(error)}`));
    void typing();
    const typingTimer = setInterval(() => void typing(), deps.typingIntervalMs ?? 4000);
    // telegraf 4.16 predates sendMessageDraft; callApi posts any method name as it is.
    const callApi = telegram.callApi.bind(telegram) as unknown as (method: string, payload: Record<string, unknown>) => Promise<unknown>;
    const draftId = (nextDraftId = (nextDraftId % 2_000_000_000) + 1);
    const stream = createReplyStream({
      logger: log,
      intervalMs: deps.editIntervalMs ?? 1000,
      onDraftsRefused(reason) {
        drafts = false;
        log.warn(`telegram: drafts refused (${reason}); streaming replies by editing messages`);
      },
      sender: {
        ...(drafts && target.chatType === 'private'
          ? {
              async draft(body: string, markdown: boolean) {
                await callApi('sendMessageDraft', { chat_id: chatId, draft_id: draftId, text: body, ...(markdown ? { parse_mode: 'MarkdownV2' } : {}) });
              },
            }
          : {}),
        async send(body, markdown) {
          const sent = await telegram.sendMessage(chatId, body, { ...(markdown ? { parse_mode: 'MarkdownV2' as const } : {}), ...replyParameters });
          return sent.message_id;
        },
        async edit(messageId, body, markdown) {
          await telegram.editMessageText(chatId, messageId, undefined, body, markdown ? { parse_mode: 'MarkdownV2' } : {});
        },
      },
    });
    try {
      const result = await deps.conversation.handleTurn({
        channel: 'telegram', userId: member, text: target.text, onToken: (token) => stream.push(token),
        // The same message answered again after a crash is one turn, not two.
        idempotencyKey: `${chatId}:${target.messageId}`,
      });
      clearInterval(typingTimer);
      if (result.reply.trim().length === 0) log.warn(`telegram: turn ${result.turnId} of user ${userId} produced an empty reply; nothing sent`);
      await stream.finish(result.reply);
    } catch (error) {
      clearInterval(typingTimer);
      if (error instanceof InputError) {
        await replyTo(target, error.message).catch(() => undefined);
        return;
      }
      // Reported, never dropped silently: the log names the chat and the failure.
      log.error(`telegram: the turn of user ${userId} in chat ${chatId} failed: ${describeError(error)}`);
      await replyTo(target, 'Sorry, something went wrong and I could not answer that. Please try again in a moment.').catch(() => undefined);
    }
  }

  /** One queue per member keeps their turns in order; the inbox entry goes once it is answered. */
  function enqueue(target: InboxEntry): void {
    queue
      .run(`${target.chatId}:${target.userId}`, async () => {
        await answer(target);
        await deps.inbox?.remove(target);
      })
      .catch((error: unknown) => log.error(`telegram: the turn of user ${target.userId} failed: ${describeError(error)}`));
  }

  /** What /memory answers in a group: to the member alone when Telegram lets the bot write to them. */
  async function memoryInGroup(ctx: TextContext, summary: string): Promise<void> {
    const title = 'title' in ctx.chat ? ctx.chat.title : 'this group';
    try {
      await retry('sendMessage', () => ctx.telegram.sendMessage(ctx.from.id, `In “${title}”: ${summary}`));
      await reply(ctx, 'I sent you what I remember in a private message.');
    } catch (error) {
      // A bot may write to a person only after they opened a chat with it. The summary holds
      // only what was said in this group, which the group has seen already.
      log.debug(`telegram: /memory could not be sent privately (${telegramDescription(error)}); answering in the group`);
      await reply(ctx, `${summary}\n\n(Only what you said in this group. Open a private chat with me to get this privately.)`);
    }
  }

  // telegraf matches `/name` and `/name@thisbot` (not another bot's); what they do is shared.
  bot.command(COMMANDS.map((entry) => entry.command), async (ctx) => {
    const answered = await commands.run({ name: ctx.command.toLowerCase(), args: ctx.payload }, conversationUserId(ctx.chat, ctx.from.id));
    if (!answered) return;
    if (answered.command === 'memory' && ctx.chat.type !== 'private') await memoryInGroup(ctx, answered.text);
    else await reply(ctx, answered.text);
  });
  bot.on('message', async (ctx, next) => {
    if (!('text' in ctx.message) || ctx.message.text.startsWith('/')) return next();
    const textCtx = ctx as TextContext;
    const target = addressed(textCtx);
    if (!target || !target.text) return;
    if (!withinRate(ctx, String(ctx.from.id))) return;
    const entry: InboxEntry = { chatId: ctx.chat.id, chatType: ctx.chat.type, messageId: ctx.message.message_id, userId: String(ctx.from.id), text: target.text, receivedAt: now() };
    // telegraf asks Telegram for the next updates (which drops this one) once this handler
    // returns: the message must be on disk by then.
    const saved = await deps.inbox?.add(entry).catch((error: unknown) => {
      log.error(`telegram: message ${entry.messageId} in chat ${entry.chatId} could not be saved to the inbox (${describeError(error)}); it is answered, but would be lost in a crash`);
      return true;
    });
    // Already waiting in the inbox: Telegram delivered it again after a crash; it is answered once.
    if (saved === false) return;
    enqueue(entry);
  });
  bot.catch((error, ctx) => {
    log.error(`telegram: update ${ctx.update.update_id} failed: ${describeError(error)}`);
  });

  const webhookRoute = webhookPath && deps.webhook ? createWebhookRoute(bot, { path: webhookPath, secret: deps.webhook.secret, logger: log }) : undefined;

  let launched: Promise<void> | undefined;
  return {
    /** Webhook mode: the route the web server mounts on its port (POST `path`). */
    webhookRoute,
    async start(): Promise<void> {
      try {
        bot.botInfo = await retry('getMe', () => bot.telegram.getMe());
      } catch (error) {
        const status = telegramStatus(error);
        const where = deps.apiRoot ?? 'the Telegram Bot API';
        if (status === undefined) throw new UnreachableError('Telegram Bot API', where, { cause: error, hint: 'check the network (or TELEGRAM_API_ROOT) and start again' });
        throw new RemoteRefusedError('Telegram Bot API', status, telegramDescription(error), {
          cause: error,
          hint: status === 401 || status === 404 ? 'the bot token was refused: check TELEGRAM_BOT_TOKEN (from @BotFather)' : 'try again in a minute',
        });
      }
      await retry('setMyCommands', () => bot.telegram.setMyCommands([...COMMANDS])).catch((error: unknown) => log.warn(`telegram: setMyCommands failed: ${telegramDescription(error)}`));
      // Messages accepted before a crash (or a stop that could not finish them) come first.
      const waiting = (await deps.inbox?.pending()) ?? [];
      if (waiting.length > 0) log.info(`telegram: answering ${waiting.length} message(s) accepted before the last stop`);
      for (const entry of waiting) enqueue(entry);
      if (deps.webhook) {
        const { url, secret } = deps.webhook;
        await retry('setWebhook', () => bot.telegram.setWebhook(url, { secret_token: secret }));
        log.info(`telegram: @${bot.botInfo.username} ready (webhook ${deps.webhook.url})`);
        return;
      }
      await new Promise<void>((resolve, reject) => {
        launched = bot.launch({ dropPendingUpdates: false }, () => resolve());
        launched.catch((error: unknown) => {
          log.error(`telegram: polling stopped: ${describeError(error)}`);
          reject(error);
        });
      });
      log.info(`telegram: @${bot.botInfo.username} ready (long polling)`);
    },
    async stop(): Promise<void> {
      if (!deps.webhook && launched) {
        let settled = false;
        const running = launched.then(() => undefined, () => undefined).finally(() => (settled = true));
        // launch() creates its poller only after its own deleteWebhook call, so a stop right
        // after start() can come too early: try again until the poller exists or launch ended.
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
      // Replies already being written are finished, not cut off.
      await queue.drain();
    },
  };
}

/**
 * The webhook as a Web-standard route. Only a request carrying the secret registered with
 * setWebhook is read (401 otherwise); the update is handled, its message saved to the inbox,
 * before Telegram gets its 200 and forgets the update.
 */
function createWebhookRoute(bot: Telegraf, opts: { path: string; secret: string; logger: Logger }) {
  return {
    path: opts.path,
    async handle(request: Request, clientAddress: string): Promise<Response> {
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
