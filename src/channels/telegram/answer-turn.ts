/**
 * Answers one accepted message: typing while the turn runs, the reply streamed (a live draft in
 * private chats, edits elsewhere), and a failure reported to the person, never dropped.
 */
import type { Telegram } from 'telegraf';
import type { ConversationPort } from '../../conversation/types.js';
import { describeError, InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { conversationUserId, quoting } from './chats.js';
import type { InboxEntry } from './inbox.js';
import { createReplyStream, type ReplySender, type ReplyStream } from './reply-stream.js';
import { telegramDescription, withTelegramRetry } from './retry.js';

export interface AnswerDeps {
  telegram: Telegram;
  conversation: ConversationPort;
  logger: Logger;
  /** Minimum time between edits (or drafts) of a streamed reply. */
  editIntervalMs?: number;
  /** How replies stream in private chats: a live draft (default; edits when refused) or edits. */
  privateStreaming?: 'draft' | 'edit';
  typingIntervalMs?: number;
}

const SORRY = 'Sorry, something went wrong and I could not answer that. Please try again in a moment.';

/** `sendChatAction` now and every few seconds until stopped. */
function keepTyping(deps: AnswerDeps, chatId: number): () => void {
  const typing = () => deps.telegram.sendChatAction(chatId, 'typing').catch((error: unknown) => deps.logger.debug(`typing: ${telegramDescription(error)}`));
  void typing();
  const timer = setInterval(() => void typing(), deps.typingIntervalMs ?? 4000);
  return () => clearInterval(timer);
}

export function createAnswerer(deps: AnswerDeps): (target: InboxEntry) => Promise<void> {
  const { telegram, logger: log } = deps;
  // Drafts are a recent Bot API method: once refused, this bot streams by editing.
  let drafts = (deps.privateStreaming ?? 'draft') === 'draft';
  let nextDraftId = 0;
  // telegraf 4.16 predates sendMessageDraft; callApi posts any method name as it is.
  const callApi = telegram.callApi.bind(telegram) as unknown as (method: string, payload: Record<string, unknown>) => Promise<unknown>;
  const parseMode = (markdown: boolean) => (markdown ? { parse_mode: 'MarkdownV2' as const } : {});

  function senderFor(target: InboxEntry): ReplySender {
    const { chatId } = target;
    const draftId = (nextDraftId = (nextDraftId % 2_000_000_000) + 1);
    const draft = async (body: string, markdown: boolean) => {
      await callApi('sendMessageDraft', { chat_id: chatId, draft_id: draftId, text: body, ...parseMode(markdown) });
    };
    return {
      ...(drafts && target.chatType === 'private' ? { draft } : {}),
      async send(body, markdown) {
        return (await telegram.sendMessage(chatId, body, { ...parseMode(markdown), ...quoting(target.chatType, target.messageId) })).message_id;
      },
      async edit(messageId, body, markdown) {
        await telegram.editMessageText(chatId, messageId, undefined, body, parseMode(markdown));
      },
    };
  }

  function streamFor(target: InboxEntry): ReplyStream {
    return createReplyStream({
      logger: log,
      intervalMs: deps.editIntervalMs ?? 1000,
      onDraftsRefused(reason) {
        drafts = false;
        log.warn(`telegram: drafts refused (${reason}); streaming replies by editing messages`);
      },
      sender: senderFor(target),
    });
  }

  /** Replies to a message that may come from the inbox (no telegraf context after a restart). */
  const replyTo = (target: InboxEntry, text: string) =>
    withTelegramRetry('sendMessage', () => telegram.sendMessage(target.chatId, text, quoting(target.chatType, target.messageId)), { logger: log }).then(
      () => undefined,
      () => undefined,
    );

  return async (target) => {
    const { chatId, userId } = target;
    const stopTyping = keepTyping(deps, chatId);
    const stream = streamFor(target);
    try {
      const result = await deps.conversation.handleTurn({
        channel: 'telegram', userId: conversationUserId({ id: chatId, type: target.chatType }, userId), text: target.text, onToken: (token) => stream.push(token),
        // The same message answered again after a crash is one turn, not two.
        idempotencyKey: `${chatId}:${target.messageId}`,
      });
      stopTyping();
      if (result.reply.trim().length === 0) log.warn(`telegram: turn ${result.turnId} of user ${userId} produced an empty reply; nothing sent`);
      await stream.finish(result.reply);
    } catch (error) {
      stopTyping();
      if (error instanceof InputError) return replyTo(target, error.message);
      // Reported, never dropped silently: the log names the chat and the failure.
      log.error(`telegram: the turn of user ${userId} in chat ${chatId} failed: ${describeError(error)}`);
      await replyTo(target, SORRY);
    }
  };
}
