// Telegram drops an update once the bot polls past it: an accepted message is kept on disk
// (encrypted) until answered, and what a crash left there is answered on the next start, once.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveKeyed } from '../../../src/app/keyed-secrets.js';
import { createTelegramChannel } from '../../../src/channels/telegram/bot.js';
import { createTelegramInbox, type TelegramInbox } from '../../../src/channels/telegram/inbox.js';
import type { TurnRequest, TurnResult } from '../../../src/conversation/types.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { createFakeConversation, type FakeConversation } from '../../support/fake-conversation.js';
import { startTelegramStub, type TelegramStub } from '../../support/telegram-stub.js';
import { makeTmpDir } from '../../support/tmp-dir.js';

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 8000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('Telegram inbox', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let stub: TelegramStub;
  let conversation: FakeConversation;
  let inbox: TelegramInbox;
  let dir: string;
  const logger = createMemoryLogger();
  const files = async () => (await readdir(dir)).filter((name) => name.endsWith('.msg'));
  const channelWith = (port: FakeConversation | (FakeConversation & { handleTurn(request: TurnRequest): Promise<TurnResult> })) =>
    createTelegramChannel({ token: stub.token, apiRoot: stub.apiRoot, conversation: port, logger, rateLimitPerMinute: 30, editIntervalMs: 60, privateStreaming: 'edit', inbox });

  beforeEach(async () => {
    tmp = await makeTmpDir('tg-inbox');
    stub = await startTelegramStub();
    conversation = createFakeConversation();
    dir = path.join(tmp.dir, 'inbox');
    inbox = await createTelegramInbox({ dir, cipher: (await deriveKeyed(new Uint8Array(32).fill(3))).inboxCipher, logger });
  });
  afterEach(async () => {
    await stub.close();
    await tmp.remove();
  });

  it('keeps an accepted message on disk, encrypted, until its answer is sent', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = { ...conversation, handleTurn: async (request: TurnRequest) => (await gate, conversation.handleTurn(request)) };
    const channel = channelWith(held);
    await channel.start();
    try {
      stub.pushMessage({ chatId: 41, fromId: 41, text: 'remember the lighthouse' });
      await until(async () => (await files()).length === 1);
      const sealed = await readFile(path.join(dir, (await files())[0] ?? ''), 'latin1');
      expect(sealed).not.toContain('lighthouse');
      release();
      await until(() => stub.chatTexts(41).at(-1) === 'You said: remember the lighthouse');
      await until(async () => (await files()).length === 0);
    } finally {
      await channel.stop();
    }
  });

  it('answers, on start, the messages a crash left in the inbox, with their message as idempotency key', async () => {
    await inbox.add({ chatId: 42, chatType: 'private', messageId: 900, userId: '42', text: 'are you still there?', receivedAt: 1 });
    await inbox.add({ chatId: 43, chatType: 'group', messageId: 901, userId: '7', text: 'and the tides?', receivedAt: 2 });
    const channel = channelWith(conversation);
    await channel.start();
    try {
      await until(() => stub.chatTexts(42).at(-1) === 'You said: are you still there?' && stub.chatTexts(43).at(-1) === 'You said: and the tides?');
      expect(conversation.turns.map((turn) => [turn.userId, turn.idempotencyKey])).toEqual([['42', '42:900'], ['43:7', '43:901']]);
      // In a group the answer replies to the member's message.
      expect(stub.callsOf('sendMessage').find((call) => call.params.chat_id === 43)?.params.reply_parameters).toMatchObject({ message_id: 901 });
      await until(async () => (await files()).length === 0);
      expect(logger.lines.some((line) => line.includes('answering 2 message(s) accepted before the last stop'))).toBe(true);
    } finally {
      await channel.stop();
    }
  });

  it('sets aside a file it cannot read (another key) instead of answering it', async () => {
    const other = await createTelegramInbox({ dir, cipher: (await deriveKeyed(new Uint8Array(32).fill(4))).inboxCipher, logger });
    await other.add({ chatId: 44, chatType: 'private', messageId: 1, userId: '44', text: 'sealed with another key', receivedAt: 1 });
    // Set aside by an earlier version, beside the messages: still never answered, left in place.
    const earlier = '000001764670000-0123456789abcdef.msg.unreadable';
    await writeFile(path.join(dir, earlier), 'damaged');
    expect(await inbox.pending()).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual([earlier, 'unreadable']);
    const names = await readdir(path.join(dir, 'unreadable'));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\d{15}-[0-9a-f]{16}\.msg$/);
    expect(logger.lines.some((line) => /\.msg cannot be read/.test(line))).toBe(true);
  });

  it('answers once a message Telegram delivers again while it waits in the inbox (crash before the poll moved on)', async () => {
    // The update is still queued at Telegram, and the inbox holds it: both come at the start.
    const messageId = stub.pushMessage({ chatId: 46, fromId: 46, text: 'only once please' });
    expect(await inbox.add({ chatId: 46, chatType: 'private', messageId, userId: '46', text: 'only once please', receivedAt: 1 })).toBe(true);
    expect(await inbox.add({ chatId: 46, chatType: 'private', messageId, userId: '46', text: 'only once please', receivedAt: 1 })).toBe(false);
    const fresh = await createTelegramInbox({ dir, cipher: (await deriveKeyed(new Uint8Array(32).fill(3))).inboxCipher, logger });
    inbox = fresh;
    // A slow answer: the update arrives while the replayed message is still being answered.
    conversation.delayMs = 150;
    const channel = channelWith(conversation);
    await channel.start();
    try {
      await until(() => stub.chatTexts(46).length > 0 && stub.callsOf('getUpdates').length > 2);
      await until(async () => (await files()).length === 0);
      expect(conversation.turns.filter((turn) => turn.userId === '46')).toHaveLength(1);
      expect(stub.chatTexts(46)).toEqual(['You said: only once please']);
    } finally {
      await channel.stop();
    }
  });

  it('names its files at random: a listing says nothing of chats or users', async () => {
    await inbox.add({ chatId: 123456789, chatType: 'private', messageId: 42, userId: '123456789', text: 'x', receivedAt: 1 });
    const [name] = await files();
    expect(name).toMatch(/^\d{15}-[0-9a-f]{16}\.msg$/);
    expect(name).not.toContain('123456789');
  });
});
