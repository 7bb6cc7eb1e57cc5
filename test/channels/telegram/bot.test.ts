import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../../src/channels/telegram/bot.js';
import { escapeMarkdownV2, splitForTelegram, toMarkdownV2 } from '../../../src/channels/telegram/markdown.js';
import { createWebServer } from '../../../src/channels/web/server.js';
import { RemoteRefusedError } from '../../../src/errors.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { createFakeConversation, type FakeConversation } from '../../support/fake-conversation.js';
import { startTelegramStub, type TelegramStub } from '../../support/telegram-stub.js';

const until = async (check: () => boolean, timeoutMs = 8000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const text = (call: { params: Record<string, unknown> }) => String(call.params.text ?? '');
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

describe('Telegram channel (real telegraf against a local Bot API stand-in)', () => {
  let stub: TelegramStub;
  let conversation: FakeConversation;
  let channel: ReturnType<typeof createTelegramChannel>;
  let logger: ReturnType<typeof createMemoryLogger>;

  beforeEach(async () => {
    stub = await startTelegramStub();
    conversation = createFakeConversation({ delayMs: 30 });
    logger = createMemoryLogger();
    // These tests pin streaming by edits; drafts (the default in private chats) have their own.
    channel = createTelegramChannel({ ...options(), privateStreaming: 'edit' });
    await channel.start();
  });
  const options = () => ({ token: stub.token, apiRoot: stub.apiRoot, conversation, logger, rateLimitPerMinute: 30, editIntervalMs: 60, typingIntervalMs: 100 });
  const withDrafts = async () => {
    await channel.stop();
    channel = createTelegramChannel(options());
    await channel.start();
  };
  afterEach(async () => {
    await channel.stop();
    await stub.close();
  });

  it('logs a ready line, greets on /start and registers its commands', async () => {
    expect(logger.lines.some((line) => /telegram: @permachat_test_bot ready \(long polling\)/.test(line))).toBe(true);
    expect(stub.callsOf('setMyCommands')).toHaveLength(1);
    stub.pushMessage({ chatId: 1, fromId: 1, text: '/start' });
    await until(() => stub.callsOf('sendMessage').length === 1);
    expect(text(stub.callsOf('sendMessage')[0]!)).toMatch(/^Hi, I'm Eliza\./);
  });

  it('shows typing, streams by editing, and ends with the full reply', async () => {
    conversation.reply = () => 'one two three four five six seven eight nine ten eleven twelve';
    stub.pushMessage({ chatId: 5, fromId: 5, text: 'count for me' });
    await until(() => stub.callsOf('editMessageText').some((c) => unescape(text(c)) === 'one two three four five six seven eight nine ten eleven twelve'));
    expect(stub.callsOf('sendChatAction')[0]?.params).toMatchObject({ chat_id: 5, action: 'typing' });
    // Re-sent while the reply is produced (every 100 ms here, ~4 s in production).
    expect(stub.callsOf('sendChatAction').length).toBeGreaterThanOrEqual(2);
    const sends = stub.callsOf('sendMessage');
    expect(sends).toHaveLength(1);
    expect(unescape(text(sends[0]!)).length).toBeLessThan(60);
    expect(stub.callsOf('editMessageText').length).toBeGreaterThan(1);
    expect(conversation.turns[0]).toMatchObject({ channel: 'telegram', userId: '5', text: 'count for me' });
  });

  it('streams as a live draft in private chats, then sends the whole reply once; groups get edits', async () => {
    await withDrafts();
    const full = 'one two three four five six seven eight nine ten eleven twelve';
    conversation.reply = () => full;
    stub.pushMessage({ chatId: 7, fromId: 7, text: 'count for me' });
    await until(() => stub.callsOf('sendMessage').length === 1);
    const drafts = stub.callsOf('sendMessageDraft');
    expect(drafts.length).toBeGreaterThan(1);
    expect(new Set(drafts.map((d) => d.params.draft_id)).size).toBe(1);
    expect(Number(drafts[0]!.params.draft_id)).toBeGreaterThan(0);
    expect(unescape(text(drafts.at(-1)!)).length).toBeGreaterThan(unescape(text(drafts[0]!)).length);
    expect(unescape(text(stub.callsOf('sendMessage')[0]!))).toBe(full);
    expect(stub.callsOf('editMessageText')).toHaveLength(0);

    stub.pushMessage({ chatId: -100, chatType: 'supergroup', fromId: 11, text: '@permachat_test_bot count for us' });
    await until(() => stub.callsOf('editMessageText').some((c) => c.params.chat_id === -100 && unescape(text(c)) === full));
    expect(stub.callsOf('sendMessageDraft').filter((c) => c.params.chat_id === -100)).toHaveLength(0);
  });

  it('streams by editing from then on when the Bot API refuses drafts', async () => {
    await withDrafts();
    const full = 'one two three four five six seven eight nine ten eleven twelve';
    conversation.reply = () => full;
    stub.failNext('sendMessageDraft', { status: 400, description: 'Bad Request: method is available only for bots with forum topic mode enabled' });
    stub.pushMessage({ chatId: 8, fromId: 8, text: 'count for me' });
    await until(() => stub.callsOf('editMessageText').some((c) => unescape(text(c)) === full));
    expect(logger.lines.some((line) => /drafts refused .*forum topic mode/.test(line))).toBe(true);
    stub.pushMessage({ chatId: 8, fromId: 8, text: 'again' });
    await until(() => stub.chatTexts(8).length === 2 && stub.chatTexts(8).every((t) => t === full));
    expect(stub.callsOf('sendMessageDraft')).toHaveLength(1);
  });

  it('escapes MarkdownV2 so model output never breaks a message, and falls back to plain text', async () => {
    // Every reserved character, unpaired: the stand-in parses MarkdownV2 like the Bot API and
    // refuses unescaped ones, so the reader must see exactly this text.
    const tricky = 'a_b*c [] () ~f ` >g #h +i -j =k |l {m} .n !o \\p 2*3=6 snake_case_name (ok)!';
    conversation.reply = () => tricky;
    stub.pushMessage({ chatId: 6, fromId: 6, text: 'be tricky' });
    await until(() => stub.chatTexts(6).at(-1) === tricky);
    const writes = stub.calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && c.params.chat_id === 6);
    expect(writes.every((c) => c.params.parse_mode === 'MarkdownV2')).toBe(true);
    expect(logger.lines.some((line) => /MarkdownV2 refused/.test(line))).toBe(false);

    conversation.reply = () => 'Use **bold** and `x_y()` here. [docs](https://example.test/a_b) too!';
    stub.pushMessage({ chatId: 8, fromId: 8, text: 'format' });
    await until(() => stub.chatTexts(8).at(-1) === 'Use bold and x_y() here. docs too!');
    expect(toMarkdownV2('**bold** and 2.5!')).toBe('*bold* and 2\\.5\\!');
    expect(escapeMarkdownV2('_*[]()~`>#+-=|{}.!')).toBe('\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!');

    stub.failNext('sendMessage', { status: 400, description: "Bad Request: can't parse entities: Character '!' is reserved" });
    conversation.reply = () => 'plain fallback!';
    stub.pushMessage({ chatId: 7, fromId: 7, text: 'again' });
    await until(() => stub.chatTexts(7).at(-1) === 'plain fallback!');
    // The refused first message went out again as plain text, and the reply still completed.
    expect(stub.callsOf('sendMessage').some((c) => c.params.chat_id === 7 && c.params.parse_mode === undefined)).toBe(true);
    expect(logger.lines.some((line) => /MarkdownV2 refused/.test(line))).toBe(true);
  });

  it('splits long replies at Telegram\'s limit', async () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    expect(splitForTelegram(long).every((part) => toMarkdownV2(part).length <= 4096)).toBe(true);
    conversation.reply = () => long;
    conversation.delayMs = 0;
    stub.pushMessage({ chatId: 8, fromId: 8, text: 'talk a lot' });
    await until(() => stub.callsOf('sendMessage').filter((c) => c.params.chat_id === 8).length >= 2, 15_000);
    await until(() => {
      const ids = new Set<number>();
      const texts = new Map<unknown, string>();
      for (const c of stub.calls) {
        if (c.params.chat_id !== 8) continue;
        if (c.method === 'sendMessage') ids.add(ids.size);
        if (c.method === 'sendMessage' || c.method === 'editMessageText') texts.set(c.method === 'sendMessage' ? `s${ids.size}` : c.params.message_id, text(c));
      }
      return [...texts.values()].some((t) => t.includes('word899'));
    }, 15_000);
    for (const call of stub.calls.filter((c) => c.params.chat_id === 8 && (c.method === 'sendMessage' || c.method === 'editMessageText'))) {
      expect(text(call).length).toBeLessThanOrEqual(4096);
    }
    // What the reader ends up with: the whole reply, in order, over several messages.
    await until(() => stub.chatTexts(8).join(' ') === long, 15_000);
    expect(stub.chatTexts(8).length).toBeGreaterThanOrEqual(2);
  });

  it('in groups answers only when mentioned or replied to, and keeps members apart', async () => {
    stub.pushMessage({ chatId: -100, chatType: 'supergroup', fromId: 11, text: 'just chatting among ourselves' });
    stub.pushMessage({ chatId: -100, chatType: 'supergroup', fromId: 11, text: '@permachat_test_bot hello bot' });
    stub.pushMessage({ chatId: -100, chatType: 'supergroup', fromId: 12, text: 'and me?', replyToBot: true });
    await until(() => conversation.turns.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(conversation.turns.map((t) => [t.userId, t.text])).toEqual([['-100:11', 'hello bot'], ['-100:12', 'and me?']]);
    await until(() => stub.callsOf('sendMessage').filter((c) => c.params.chat_id === -100).length === 2);
    expect(stub.callsOf('sendMessage').every((c) => (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id !== undefined)).toBe(true);
  });

  it('in a group recalls only what was said in that group, and answers /memory in private', async () => {
    const group = { chatId: -200, chatType: 'supergroup' as const };
    stub.pushMessage({ chatId: 31, fromId: 31, text: 'my secret is only for you' });
    await until(() => conversation.turns.length === 1);
    stub.pushMessage({ ...group, fromId: 31, text: '@permachat_test_bot hello everyone' });
    await until(() => conversation.turns.length === 2);
    // The group's turn is a conversation of its own: the private one is never recalled there.
    expect(conversation.turns.map((t) => t.userId)).toEqual(['31', '-200:31']);

    stub.pushMessage({ ...group, fromId: 31, text: '/memory' });
    await until(() => stub.chatTexts(-200).includes('I sent you what I remember in a private message.'));
    expect(stub.chatTexts(31).at(-1)).toBe('In “A group”: memory of telegram:-200:31');
    expect(stub.chatTexts(-200).join('\n')).not.toContain('memory of');

    // Member 32 never opened a chat with the bot, so Telegram refuses a private message: the
    // group gets what 32 said in the group, and nothing else.
    stub.pushMessage({ ...group, fromId: 32, text: '/memory' });
    await until(() => stub.chatTexts(-200).some((t) => t.startsWith('memory of telegram:-200:32')));
    expect(stub.chatTexts(-200).at(-1)).toMatch(/Only what you said in this group/);

    // /reset and /forget in a group end the member's group conversation, not their private one.
    stub.pushMessage({ ...group, fromId: 31, text: '/reset' });
    stub.pushMessage({ ...group, fromId: 31, text: '/forget confirm' });
    await until(() => conversation.calls.includes('forget telegram:-200:31'));
    expect(conversation.calls).toEqual(['memory telegram:-200:31', 'memory telegram:-200:32', 'reset telegram:-200:31', 'forget telegram:-200:31']);
  });

  it('waits out a 429 and still delivers; survives a 400 on an edit', async () => {
    stub.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    conversation.reply = () => 'delivered after the flood wait';
    stub.pushMessage({ chatId: 9, fromId: 9, text: 'hi' });
    await until(() => stub.calls.some((c) => c.params.chat_id === 9 && unescape(text(c)) === 'delivered after the flood wait'), 10_000);
    expect(logger.lines.some((l) => /flood limit/.test(l))).toBe(true);

    stub.failNext('editMessageText', { status: 400, description: 'Bad Request: message to edit not found' }, 1);
    conversation.reply = () => 'alpha beta gamma delta epsilon zeta eta theta';
    stub.pushMessage({ chatId: 10, fromId: 10, text: 'hi' });
    await until(() => stub.calls.some((c) => c.params.chat_id === 10 && unescape(text(c)) === 'alpha beta gamma delta epsilon zeta eta theta'), 10_000);
  });

  it('limits the rate politely, and handles /reset, /forget and /memory', async () => {
    await channel.stop();
    channel = createTelegramChannel({ token: stub.token, apiRoot: stub.apiRoot, conversation, logger, rateLimitPerMinute: 2, editIntervalMs: 60 });
    await channel.start();
    conversation.delayMs = 0;
    for (let i = 0; i < 4; i++) stub.pushMessage({ chatId: 20, fromId: 20, text: `msg ${i}` });
    await until(() => stub.callsOf('sendMessage').some((c) => /faster than I can think/.test(text(c))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(conversation.turns.filter((t) => t.userId === '20')).toHaveLength(2);
    expect(stub.callsOf('sendMessage').filter((c) => /faster than I can think/.test(text(c)))).toHaveLength(1);

    stub.pushMessage({ chatId: 21, fromId: 21, text: '/forget' });
    await until(() => stub.callsOf('sendMessage').some((c) => c.params.chat_id === 21 && /forget confirm/.test(text(c))));
    expect(conversation.calls).not.toContain('forget telegram:21');
    stub.pushMessage({ chatId: 21, fromId: 21, text: '/forget confirm' });
    stub.pushMessage({ chatId: 21, fromId: 21, text: '/memory' });
    stub.pushMessage({ chatId: 21, fromId: 21, text: '/reset' });
    await until(() => conversation.calls.includes('reset telegram:21'));
    expect(conversation.calls).toEqual(expect.arrayContaining(['forget telegram:21', 'memory telegram:21', 'reset telegram:21']));
    await until(() => stub.callsOf('sendMessage').some((c) => text(c) === 'memory of telegram:21'));
  });

  it('says what to do when the token is refused at start', async () => {
    const wrong = createTelegramChannel({ token: '42:not-the-token', apiRoot: stub.apiRoot, conversation, logger, rateLimitPerMinute: 30 });
    const failure = await wrong.start().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteRefusedError);
    expect((failure as RemoteRefusedError).hint).toMatch(/TELEGRAM_BOT_TOKEN/);
    await wrong.stop();
  });

  const SECRET = 'webhook-Secret_0123456789';
  /** The channel in webhook mode, mounted on the web server as `permachat start` mounts it. */
  const withWebhook = async (run: (post: (update: object, secret?: string) => Promise<Response>, port: number) => Promise<void>) => {
    await channel.stop();
    channel = createTelegramChannel({ token: stub.token, apiRoot: stub.apiRoot, webhook: { url: 'https://bot.example.test/telegram/hook', secret: SECRET }, conversation, logger, rateLimitPerMinute: 30, editIntervalMs: 60 });
    const route = channel.webhookRoute;
    expect(route?.path).toBe('/telegram/hook');
    const web = createWebServer({ conversation, host: '127.0.0.1', port: 0, allowedOrigins: ['https://shop.example'], rateLimitPerMinute: 30, logger, extraRoutes: route ? [route] : [] });
    const { port } = await web.start();
    try {
      await channel.start();
      const post = (update: object, secret?: string) => fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
        body: JSON.stringify(update),
      });
      await run(post, port);
    } finally {
      await channel.stop();
      await web.stop();
    }
  };
  const privateUpdate = (updateId: number, userId: number, text: string) => ({
    update_id: updateId,
    message: {
      message_id: updateId + 4, date: 0, chat: { id: userId, type: 'private' }, from: { id: userId, is_bot: false, first_name: 'W' }, text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 1 }] } : {}),
    },
  });

  it('takes updates from a webhook mounted on a local server instead of polling', async () => {
    await withWebhook(async (post, port) => {
      expect(stub.callsOf('setWebhook')[0]?.params).toMatchObject({ url: 'https://bot.example.test/telegram/hook', secret_token: SECRET });
      expect(logger.lines.some((line) => /ready \(webhook/.test(line))).toBe(true);
      const response = await post(privateUpdate(1, 30, 'via webhook'), SECRET);
      expect(response.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(404);
      await until(() => stub.chatTexts(30).at(-1) === 'You said: via webhook');
      expect(conversation.turns.at(-1)).toMatchObject({ channel: 'telegram', userId: '30' });
      // No polling in webhook mode (the polling channel of beforeEach stopped before setWebhook).
      expect(stub.calls.slice(stub.calls.findIndex((call) => call.method === 'setWebhook')).filter((call) => call.method === 'getUpdates')).toEqual([]);
    });
  });

  it('refuses webhook updates without the secret token, or with a wrong one, and never handles them', async () => {
    await withWebhook(async (post) => {
      // Forged "from" user 1001: their /memory sent to the forger's chat, /forget, a turn.
      const forged = [privateUpdate(10, 1001, '/memory'), privateUpdate(11, 1001, '/forget confirm'), privateUpdate(12, 1001, 'a forged turn')];
      for (const update of forged) {
        for (const secret of [undefined, '', 'wrong-secret', `${SECRET}x`, SECRET.slice(0, -1)]) {
          const response = await post(update, secret);
          expect([401, 403], `secret ${JSON.stringify(secret)}`).toContain(response.status);
        }
      }
      // A genuine update after them is answered: once it is, anything the forged ones had started would have shown.
      expect((await post(privateUpdate(13, 40, 'the real one'), SECRET)).status).toBe(200);
      await until(() => stub.chatTexts(40).at(-1) === 'You said: the real one');
      expect(conversation.turns.map((turn) => turn.userId)).toEqual(['40']);
      expect(conversation.calls).toEqual([]);
      expect(stub.callsOf('sendMessage').filter((call) => call.params.chat_id === 1001)).toEqual([]);
      expect(stub.chatTexts(1001)).toEqual([]);
    });
  });

  it('answers 415 to a webhook body with the secret that is not an update, and handles nothing', async () => {
    await withWebhook(async (_post, port) => {
      const response = await fetch(`http://127.0.0.1:${port}/telegram/hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: '{"update_id": 5, "message": {' });
      expect(response.status).toBe(415);
      expect(conversation.turns).toEqual([]);
    });
  });

  it('will not run a webhook without a valid secret', () => {
    for (const secret of ['', 'has space', 'x'.repeat(257)]) {
      expect(() => createTelegramChannel({ token: stub.token, apiRoot: stub.apiRoot, webhook: { url: 'https://bot.example.test/hook', secret }, conversation, logger, rateLimitPerMinute: 30 })).toThrow(/secret/);
    }
  });
});
