/** Who a Telegram message comes from and whom it is for: members, groups, quoting. */
import type { Context } from 'telegraf';
import type { Message, UserFromGetMe } from 'telegraf/types';

/**
 * The conversation's user id: the person in a private chat (`12345`), the person in this group
 * in any other chat (`-100987:12345`), so a group recalls only what was said in that group.
 */
export const conversationUserId = (chat: { id: number; type: string }, fromId: number | string): string =>
  chat.type === 'private' ? String(fromId) : `${chat.id}:${fromId}`;

/** In groups an answer quotes the member's message, so everyone sees whom it answers. */
export const quoting = (chatType: string | undefined, messageId: number | undefined) =>
  (chatType === 'group' || chatType === 'supergroup') && messageId !== undefined ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } } : {};

/** What an answer needs of a telegraf context: the API and the chat and message it answers. */
export type ChatContext = Pick<Context, 'telegram'> & { chat?: { id: number; type: string } | undefined; message?: { message_id: number } | undefined };

/**
 * The text meant for the bot: all of it in a private chat; in a group only a message that
 * mentions the bot (without the mention) or replies to it; undefined for the rest.
 */
export function addressedText(message: Message.TextMessage, me: UserFromGetMe | undefined): string | undefined {
  if (message.chat.type === 'private') return message.text;
  const username = me?.username ?? '';
  const mention = username ? new RegExp(`@${username}\\b`, 'i') : undefined;
  if (mention?.test(message.text)) return message.text.replace(mention, '').trim();
  if (message.reply_to_message?.from?.id === me?.id) return message.text;
  return undefined;
}
