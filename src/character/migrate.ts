/**
 * Brings character JSON of every elizaOS format to the shape @elizaos/core 1.x validates:
 * - earliest format: `lore`, `clients`, `modelProvider`, `settings.secrets`, `user` in examples;
 * - newest format: `messageExamples` as `[{ examples: [...] }]`.
 * Each change is reported as a notice; nothing is silently dropped.
 */
import type { JsonObject } from './types.js';

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export function migrateCharacter(input: JsonObject): { data: JsonObject; notices: string[] } {
  const data: JsonObject = { ...input };
  const notices: string[] = [];

  if ('lore' in data) {
    const lore = data.lore;
    if (Array.isArray(lore) || typeof lore === 'string') {
      const bio = typeof data.bio === 'string' ? [data.bio] : Array.isArray(data.bio) ? data.bio : [];
      data.bio = [...bio, ...(Array.isArray(lore) ? lore : [lore])];
      notices.push(`lore (earlier elizaOS format) was folded into bio (${Array.isArray(lore) ? lore.length : 1} lines)`);
    } else {
      notices.push('lore was not a list of strings and was dropped');
    }
    delete data.lore;
  }
  if ('clients' in data) {
    notices.push(`clients ${JSON.stringify(data.clients)} ignored: permachat's channels are set in its configuration (TELEGRAM_BOT_TOKEN, the web widget, the terminal)`);
    delete data.clients;
  }
  if ('modelProvider' in data) {
    notices.push(`modelProvider "${String(data.modelProvider)}" ignored: permachat uses MODEL_PATH (local) or LLM_BASE_URL`);
    delete data.modelProvider;
  }
  if ('imageModelProvider' in data) delete data.imageModelProvider;
  if (isObject(data.settings) && isObject(data.settings.secrets)) {
    const { secrets, ...settings } = data.settings;
    data.secrets = { ...(isObject(data.secrets) ? data.secrets : {}), ...secrets };
    data.settings = settings;
    notices.push('settings.secrets moved to secrets');
  }
  if (Array.isArray(data.messageExamples)) {
    let movedUser = false;
    let unwrapped = false;
    data.messageExamples = data.messageExamples.map((conversation: unknown) => {
      let messages = conversation;
      if (isObject(conversation) && Array.isArray(conversation.examples)) {
        messages = conversation.examples;
        unwrapped = true;
      }
      if (!Array.isArray(messages)) return messages;
      return messages.map((message: unknown) => {
        if (isObject(message) && 'user' in message && !('name' in message)) {
          movedUser = true;
          const { user, ...rest } = message;
          return { ...rest, name: user };
        }
        return message;
      });
    });
    if (movedUser) notices.push('messageExamples: "user" renamed to "name" (earlier elizaOS format)');
    if (unwrapped) notices.push('messageExamples: { examples: [...] } groups read as conversations (newest elizaOS format)');
  }
  return { data, notices };
}
