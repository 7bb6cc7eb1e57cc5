/**
 * Telegram messages the bot has accepted but not yet answered. Telegram forgets an update once
 * the bot asks for the next ones, so each message is written here (encrypted, fsynced) before
 * that can happen, and removed once its answer or an error report was sent. After a crash the
 * next start answers what is left. A file it cannot read is set aside in `unreadable/` (files
 * set aside before as `<name>.unreadable` stay where they are, ignored as before).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { unreadableDir } from '../../config/paths.js';
import { openSpool } from '../../fs/spool.js';
import type { Cipher } from '../../cipher.js';
import type { Logger } from '../../logger.js';


const entrySchema = z.object({
  chatId: z.number(),
  chatType: z.string(),
  messageId: z.number(),
  userId: z.string(),
  text: z.string(),
  receivedAt: z.number(),
});
export type InboxEntry = z.infer<typeof entrySchema>;

export interface TelegramInbox {
  /**
   * Resolves once the message would survive a crash; false (nothing written) when it is already
   * waiting here, as when Telegram delivers again an update from before a crash.
   */
  add(entry: InboxEntry): Promise<boolean>;
  remove(entry: Pick<InboxEntry, 'chatId' | 'messageId'>): Promise<void>;
  /** What is waiting for an answer, oldest first. Unreadable files are reported and set aside in `unreadable/`. */
  pending(): Promise<InboxEntry[]>;
}

const keyOf = (entry: Pick<InboxEntry, 'chatId' | 'messageId'>) => `${entry.chatId}:${entry.messageId}`;

export async function createTelegramInbox(deps: { dir: string; cipher: Cipher; logger: Logger }): Promise<TelegramInbox> {
  const spool = await openSpool(deps.dir, '.msg');
  // File names are random (time first, for order): a listing of the folder says nothing of who
  // wrote. Which file holds which message is known from writing or reading it.
  const files = new Map<string, string>();
  return {
    async add(entry) {
      if (files.has(keyOf(entry))) return false;
      const name = `${String(Date.now()).padStart(15, '0')}-${randomBytes(8).toString('hex')}.msg`;
      files.set(keyOf(entry), name);
      await spool.write(name, deps.cipher.encrypt(new TextEncoder().encode(JSON.stringify(entry))));
      return true;
    },
    async remove(entry) {
      const name = files.get(keyOf(entry));
      if (name === undefined) return;
      files.delete(keyOf(entry));
      await spool.remove(name);
    },
    async pending() {
      const entries: InboxEntry[] = [];
      for (const name of await spool.list()) {
        try {
          const entry = entrySchema.parse(JSON.parse(new TextDecoder().decode(deps.cipher.decrypt(await spool.read(name)))) as unknown);
          // The same message twice (written again before a crash was noticed): one answer.
          if (files.has(keyOf(entry)) && files.get(keyOf(entry)) !== name) {
            await spool.remove(name).catch(() => undefined);
            continue;
          }
          files.set(keyOf(entry), name);
          entries.push(entry);
        } catch (error) {
          // Another key, or a damaged file: kept aside for the operator, never answered wrongly.
          deps.logger.error(`telegram inbox: ${name} cannot be read (${error instanceof Error ? error.message : String(error)}); moved to ${unreadableDir(deps.dir)}`);
          await spool.setAside(name).catch(() => undefined);
        }
      }
      return entries.sort((a, b) => a.receivedAt - b.receivedAt || a.messageId - b.messageId);
    },
  };
}
