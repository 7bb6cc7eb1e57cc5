/**
 * One reply shown while it is generated. In private chats it streams as a draft
 * (`sendMessageDraft`: a live preview that is not a message) and the final text is sent as
 * messages; elsewhere, or when drafts are refused, a first message once text exists, then
 * throttled edits. Text past Telegram's limit continues in new messages. The final text is
 * always written, whatever the throttle or an earlier failed update did.
 */
import type { Logger } from '../../logger.js';
import { splitForTelegram, toMarkdownV2 } from './markdown.js';
import { telegramDescription, telegramStatus, withTelegramRetry } from './retry.js';

export interface ReplySender {
  /** Sends a new message; returns its message id. */
  send(body: string, markdown: boolean): Promise<number>;
  edit(messageId: number, body: string, markdown: boolean): Promise<void>;
  /** Shows the text as a draft; absent where drafts cannot be used (groups, turned off). */
  draft?(body: string, markdown: boolean): Promise<void>;
}

export interface ReplyStreamOptions {
  logger: Logger;
  /** Minimum time between two writes of this reply. */
  intervalMs: number;
  sender: ReplySender;
  /** Told once when the Bot API refuses drafts, so later replies do not try them. */
  onDraftsRefused?(reason: string): void;
}

export interface ReplyStream {
  /** Appends a generated piece of text. */
  push(token: string): void;
  /** Writes the complete reply; rejects when it could not be delivered after retries. */
  finish(reply: string): Promise<void>;
}

const isParseError = (error: unknown) =>
  telegramStatus(error) === 400 && /can't parse entities|can't find end/i.test(telegramDescription(error));
const isNotModified = (error: unknown) =>
  telegramStatus(error) === 400 && /message is not modified/i.test(telegramDescription(error));

// The longer of the formatted and the raw text, so a plain-text fallback also fits.
const measure = (part: string) => {
  const formatted = toMarkdownV2(part);
  return formatted.length >= part.length ? formatted : part;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Writes a part as MarkdownV2, and as plain text when Telegram cannot parse it. */
function markdownWriter(sender: ReplySender, logger: Logger) {
  const retry = <T>(what: string, call: () => Promise<T>) => withTelegramRetry(what, call, { logger });
  const withFallback = async (what: string, write: (body: string, markdown: boolean) => Promise<void>, raw: string) => {
    try {
      await retry(what, () => write(toMarkdownV2(raw), true));
    } catch (error) {
      if (!isParseError(error)) throw error;
      logger.warn(`telegram: MarkdownV2 refused (${what}); writing plain text`);
      await retry(what, () => write(raw, false));
    }
  };
  return {
    async send(raw: string): Promise<number> {
      let messageId = 0;
      await withFallback('sendMessage', async (body, markdown) => void (messageId = await sender.send(body, markdown)), raw);
      return messageId;
    },
    async edit(messageId: number, raw: string): Promise<void> {
      try {
        await withFallback('editMessageText', (body, markdown) => sender.edit(messageId, body, markdown), raw);
      } catch (error) {
        if (!isNotModified(error)) throw error;
      }
    },
    /** Shows `raw` as the draft (the caller checked that the sender has drafts). */
    draft: (raw: string) => withFallback('sendMessageDraft', (body, markdown) => sender.draft?.(body, markdown) ?? Promise.resolve(), raw),
  };
}

export function createReplyStream(opts: ReplyStreamOptions): ReplyStream {
  const { logger, sender } = opts;
  const { send, edit, draft: writeDraft } = markdownWriter(sender, logger);
  const sent: Array<{ messageId: number; raw: string }> = [];
  let text = '';
  let lastWrite = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;

  // Streams the part being written as a draft; false when drafts turned out to be refused.
  let drafting = sender.draft !== undefined;
  const draft = async (full: string): Promise<void> => {
    const parts = splitForTelegram(full, undefined, measure);
    try {
      await writeDraft(parts[parts.length - 1] ?? '');
    } catch (error) {
      const status = telegramStatus(error);
      if (status !== 400 && status !== 404) throw error;
      drafting = false;
      opts.onDraftsRefused?.(telegramDescription(error));
      await sync(full, false);
    }
    lastWrite = Date.now();
  };

  /** Brings the messages in line with `full`; when `final`, a message that cannot be edited is sent anew. */
  const sync = async (full: string, final: boolean): Promise<void> => {
    if (full.trim().length === 0) return;
    for (const [index, raw] of splitForTelegram(full, undefined, measure).entries()) {
      const part = sent[index];
      if (part === undefined) {
        sent.push({ messageId: await send(raw), raw });
      } else if (part.raw !== raw) {
        try {
          await edit(part.messageId, raw);
        } catch (error) {
          if (!final) throw error;
          logger.warn(`telegram: could not edit message ${part.messageId} (${telegramDescription(error)}); sending it anew`);
          part.messageId = await send(raw);
        }
        part.raw = raw;
      }
      lastWrite = Date.now();
    }
  };

  const flush = () => {
    timer = undefined;
    const snapshot = text;
    chain = chain
      .then(() => (drafting ? draft(snapshot) : sync(snapshot, false)))
      .catch((error: unknown) => {
        // A failed intermediate write is not fatal: the final write tries again.
        logger.warn(`telegram: streaming update failed: ${telegramDescription(error)}`);
      });
  };

  return {
    push(token) {
      text += token;
      if (finished || timer !== undefined || text.trim().length === 0) return;
      timer = setTimeout(flush, Math.max(0, lastWrite + opts.intervalMs - Date.now()));
    },
    async finish(reply) {
      finished = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await chain;
      const wait = lastWrite + opts.intervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      await sync(reply, true);
    },
  };
}
