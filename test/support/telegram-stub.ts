/**
 * A local stand-in for the Telegram Bot API (what telegraf calls), on 127.0.0.1: updates are
 * injected by the test and served by long-polling getUpdates; every call is recorded; the next
 * calls of a method can be made to fail (429 with retry_after, 400, ...). As on Telegram, the bot
 * cannot write first to a group member who never opened a private chat with it (403).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubCall {
  method: string;
  params: Record<string, unknown>;
}

interface Failure {
  status: number;
  description: string;
  retryAfter?: number;
}

export interface TelegramStub {
  apiRoot: string;
  token: string;
  calls: StubCall[];
  botId: number;
  pushMessage(message: { chatId: number; chatType?: 'private' | 'group' | 'supergroup'; fromId: number; text: string; replyToBot?: boolean }): number;
  failNext(method: string, failure: Failure, times?: number): void;
  /** Drops the failures still queued for a method. */
  clearFailures(method: string): void;
  callsOf(method: string): StubCall[];
  /** What a reader sees in a chat now: every message the bot sent there, in order, after edits. */
  chatTexts(chatId: number): string[];
  close(): Promise<void>;
}

const RESERVED = '_*[]()~`>#+-=|{}.!';

/**
 * Telegram's MarkdownV2 rules, as the Bot API applies them: outside code, every reserved
 * character must be escaped unless it opens or closes an entity; entities must be closed.
 * Returns the text a reader sees, or the 400 description Telegram would answer.
 */
export function parseMarkdownV2(text: string): { visible: string } | { error: string } {
  let visible = '';
  const open: string[] = [];
  let i = 0;
  const fail = (why: string) => ({ error: `Bad Request: can't parse entities: ${why} at byte offset ${i}` });
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '\\') {
      const next = text[i + 1];
      if (next === undefined) return fail("Character '\\' is reserved");
      visible += next;
      i += 2;
      continue;
    }
    if (char === '`') {
      const fence = text.startsWith('```', i);
      const marker = fence ? '```' : '`';
      let j = i + marker.length;
      let body = '';
      for (;;) {
        if (j >= text.length) return fail(`Can't find end of ${fence ? 'Pre' : 'Code'} entity`);
        if (text[j] === '\\') {
          body += text[j + 1] ?? '';
          j += 2;
          continue;
        }
        if (text.startsWith(marker, j)) break;
        if (!fence && text[j] === '`') break;
        body += text[j];
        j += 1;
      }
      if (fence) {
        const newline = body.indexOf('\n');
        if (newline !== -1 && /^[A-Za-z0-9_+-]*$/.test(body.slice(0, newline))) body = body.slice(newline + 1);
      }
      visible += body;
      i = j + marker.length;
      continue;
    }
    const two = text.slice(i, i + 2);
    const marker = two === '__' || two === '||' ? two : char === '*' || char === '_' || char === '~' ? char : undefined;
    if (marker !== undefined) {
      if (open[open.length - 1] === marker) open.pop();
      else open.push(marker);
      i += marker.length;
      continue;
    }
    if (char === '[') {
      open.push('[');
      i += 1;
      continue;
    }
    if (char === ']' && open[open.length - 1] === '[') {
      open.pop();
      if (text[i + 1] !== '(') return fail("Character ']' is reserved");
      const close = text.indexOf(')', i + 2);
      if (close === -1) return fail("Can't find end of URL");
      i = close + 1;
      continue;
    }
    if (char === '>' && (i === 0 || text[i - 1] === '\n')) {
      i += 1;
      continue;
    }
    if (RESERVED.includes(char)) return fail(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
    visible += char;
    i += 1;
  }
  if (open.length > 0) return { error: `Bad Request: can't parse entities: Can't find end of the entity starting with '${open[open.length - 1]}'` };
  return { visible };
}

export async function startTelegramStub(token = '123456:TEST-token'): Promise<TelegramStub> {
  const calls: StubCall[] = [];
  const updates: Array<{ update_id: number; message: Record<string, unknown> }> = [];
  const failures = new Map<string, Failure[]>();
  const waiting = new Set<() => void>();
  const botId = 999;
  let nextUpdate = 1;
  let nextMessage = 100;

  const messages = new Map<number, { chatId: number; text: string }>();
  const chatTypes = new Map<number, string>();
  /** People seen in groups; those who never wrote to the bot in private cannot be written to. */
  const groupMembers = new Set<number>();
  const refuse = (res: http.ServerResponse, status: number, description: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: status, description }));
  };
  const render = (params: Record<string, unknown>) => {
    const text = String(params.text ?? '');
    return params.parse_mode === 'MarkdownV2' ? parseMarkdownV2(text) : { visible: text };
  };
  const ok = (res: http.ServerResponse, result: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
  };

  function handle(method: string, params: Record<string, unknown>, res: http.ServerResponse): void {
    const queued = failures.get(method);
    const failure = queued?.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json' }).end(JSON.stringify({
        ok: false, error_code: failure.status, description: failure.description,
        ...(failure.retryAfter ? { parameters: { retry_after: failure.retryAfter } } : {}),
      }));
      return;
    }
    switch (method) {
      case 'getMe':
        return ok(res, { id: botId, is_bot: true, first_name: 'Permachat', username: 'permachat_test_bot' });
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        if (offset > 0) updates.splice(0, updates.length, ...updates.filter((u) => u.update_id >= offset));
        const answer = () => {
          const pending = updates.filter((u) => u.update_id >= offset);
          return pending;
        };
        const ready = answer();
        if (ready.length > 0) return ok(res, ready);
        // Long poll, shortened: answer when an update arrives or after 300 ms.
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          waiting.delete(finish);
          clearTimeout(timer);
          if (!res.writableEnded) ok(res, answer());
        };
        const timer = setTimeout(finish, 300);
        waiting.add(finish);
        res.on('close', finish);
        return;
      }
      case 'sendMessage':
      case 'editMessageText': {
        const rendered = render(params);
        if ('error' in rendered) return refuse(res, 400, rendered.error);
        if (rendered.visible.length > 4096) return refuse(res, 400, 'Bad Request: message is too long');
        if (rendered.visible.trim().length === 0) return refuse(res, 400, 'Bad Request: message text is empty');
        const chatId = Number(params.chat_id);
        if (groupMembers.has(chatId) && !chatTypes.has(chatId)) return refuse(res, 403, "Forbidden: bot can't initiate conversation with a user");
        if (method === 'sendMessage') {
          const id = nextMessage++;
          messages.set(id, { chatId, text: rendered.visible });
          return ok(res, { message_id: id, date: 0, chat: { id: chatId, type: 'private' }, text: rendered.visible });
        }
        const id = Number(params.message_id);
        const existing = messages.get(id);
        if (!existing || existing.chatId !== chatId) return refuse(res, 400, 'Bad Request: message to edit not found');
        if (existing.text === rendered.visible) {
          return refuse(res, 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        existing.text = rendered.visible;
        return ok(res, { message_id: id, date: 0, chat: { id: chatId, type: 'private' }, text: rendered.visible });
      }
      case 'sendMessageDraft': {
        // A live preview in a private chat: draft_id non-zero, text 0–4096 after parsing.
        if (!Number(params.draft_id)) return refuse(res, 400, 'Bad Request: draft_id must be non-zero');
        if (chatTypes.get(Number(params.chat_id)) !== 'private') return refuse(res, 400, 'Bad Request: drafts can be sent only to private chats');
        const rendered = render(params);
        if ('error' in rendered) return refuse(res, 400, rendered.error);
        if (rendered.visible.length > 4096) return refuse(res, 400, 'Bad Request: message is too long');
        return ok(res, true);
      }
      default:
        return ok(res, true);
    }
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
      if (!match || match[1] !== token) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
        return;
      }
      let params: Record<string, unknown> = {};
      if (raw) {
        try {
          params = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          params = Object.fromEntries(new URLSearchParams(raw));
        }
      }
      const method = match[2] as string;
      calls.push({ method, params });
      handle(method, params, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    botId,
    pushMessage({ chatId, chatType = 'private', fromId, text, replyToBot }) {
      const messageId = nextMessage++;
      chatTypes.set(chatId, chatType);
      if (chatType !== 'private') groupMembers.add(fromId);
      const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] : undefined;
      updates.push({
        update_id: nextUpdate++,
        message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatType, ...(chatType === 'private' ? { first_name: 'User' } : { title: 'A group' }) },
          from: { id: fromId, is_bot: false, first_name: `User${fromId}` },
          text,
          ...(entities ? { entities } : {}),
          ...(replyToBot ? { reply_to_message: { message_id: 1, date: 0, chat: { id: chatId, type: chatType }, from: { id: botId, is_bot: true, first_name: 'Permachat' }, text: 'earlier' } } : {}),
        },
      });
      for (const wake of [...waiting]) wake();
      return messageId;
    },
    failNext(method, failure, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    clearFailures(method) {
      failures.delete(method);
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    chatTexts: (chatId) => [...messages.values()].filter((m) => m.chatId === chatId).map((m) => m.text),
    close: () =>
      new Promise<void>((resolve) => {
        for (const wake of [...waiting]) wake();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
