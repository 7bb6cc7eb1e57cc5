import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebServer } from '../../../src/channels/web/server.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { createFakeConversation } from '../../support/fake-conversation.js';

const session = 'a'.repeat(32);

async function readSse(response: Response): Promise<Array<{ event: string; data: Record<string, string> }>> {
  const text = await response.text();
  return text.split('\n\n').filter(Boolean).map((block) => ({
    event: /^event: (.*)$/m.exec(block)?.[1] ?? '',
    data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, string>,
  }));
}

describe('web HTTP API', () => {
  const conversation = createFakeConversation({ delayMs: 1 });
  let waiting = 0;
  const server = createWebServer({
    conversation, host: '127.0.0.1', port: 0, allowedOrigins: ['https://shop.example'], rateLimitPerMinute: 5, logger: createMemoryLogger(),
    health: async () => ({ memory: { waitingForArweave: waiting } }),
  });
  let url = '';
  beforeAll(async () => {
    url = (await server.start()).url;
  });
  afterAll(async () => server.stop());

  const chat = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('serves health, characters, the widget and the demo page', async () => {
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true, characters: 2, memory: { waitingForArweave: 0 } });
    waiting = 3;
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ memory: { waitingForArweave: 3 } });
    const characters = (await (await fetch(`${url}/api/characters`)).json()) as { characters: Array<{ name: string; color: string }> };
    expect(characters.characters.map((c) => c.name)).toEqual(['Eliza', 'Marlowe']);
    const widget = await fetch(`${url}/widget.js`);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    expect(await widget.text()).toContain('attachShadow');
    expect(await (await fetch(`${url}/`)).text()).toContain('<script src="/widget.js" data-character="Eliza" async></script>');
  });

  it('streams a reply as server-sent events, then serves the caller\'s own history', async () => {
    const response = await chat({ sessionId: session, message: 'hello there', character: 'Marlowe' });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readSse(response);
    const tokens = events.filter((e) => e.event === 'token').map((e) => e.data.text);
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe('You said: hello there');
    expect(events.at(-1)).toEqual({ event: 'done', data: { turnId: expect.any(String), reply: 'You said: hello there', character: 'Marlowe' } });
    expect(conversation.turns.at(-1)?.userId).not.toContain(session);
    expect(conversation.turns.at(-1)?.idempotencyKey).toBeUndefined();
    await readSse(await chat({ sessionId: session, message: 'with an id', messageId: 'msg-0001-abcd' }));
    expect(conversation.turns.at(-1)?.idempotencyKey).toBe('msg-0001-abcd');
    const history = (await (await fetch(`${url}/api/history?sessionId=${session}`)).json()) as { messages: Array<{ role: string; text: string }> };
    expect(history.messages.map((m) => m.text)).toEqual(['hello there', 'You said: hello there', 'with an id', 'You said: with an id']);
    const other = (await (await fetch(`${url}/api/history?sessionId=${'b'.repeat(32)}`)).json()) as { messages: unknown[] };
    expect(other.messages).toEqual([]);
  });

  it('rejects bad input with a clear 400, oversized bodies with 413', async () => {
    const bad = await chat({ sessionId: session });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/message/);
    expect((await chat('{not json')).status).toBe(400);
    expect((await chat({ sessionId: 'short', message: 'x' })).status).toBe(400);
    expect((await chat({ sessionId: session, message: 42 })).status).toBe(400);
    const badId = await chat({ sessionId: session, message: 'x', messageId: 'no spaces allowed' });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { error: string }).error).toMatch(/messageId: an id of 8 to 64 letters/);
    expect((await chat({ sessionId: session, message: 'x'.repeat(20_000) })).status).toBe(413);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });

  it('limits the rate per session with 429 and Retry-After', async () => {
    const limited = 'c'.repeat(32);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const response = await chat({ sessionId: limited, message: `m${i}` });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.text();
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('answers CORS for allowed origins only', async () => {
    const allowed = await fetch(`${url}/api/chat`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const denied = await fetch(`${url}/api/characters`, { headers: { origin: 'https://evil.example' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});
