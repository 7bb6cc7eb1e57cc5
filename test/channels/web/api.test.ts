import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientAddress } from '../../../src/channels/web/client-address.js';
import { createWebServer } from '../../../src/channels/web/server.js';
import { createLogger, createMemoryLogger } from '../../../src/logger.js';
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
    const history = (await (await fetch(`${url}/api/history`, { headers: { 'x-session-id': session } })).json()) as { messages: Array<{ role: string; text: string }> };
    expect(history.messages.map((m) => m.text)).toEqual(['hello there', 'You said: hello there', 'with an id', 'You said: with an id']);
    const other = (await (await fetch(`${url}/api/history`, { headers: { 'x-session-id': 'b'.repeat(32) } })).json()) as { messages: unknown[] };
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
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-session-id/);
    const denied = await fetch(`${url}/api/characters`, { headers: { origin: 'https://evil.example' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 415 to a body not declared as JSON: no turn runs, no session is reset', async () => {
    const turns = conversation.turns.length;
    const calls = conversation.calls.length;
    const body = JSON.stringify({ sessionId: 'e'.repeat(32), message: 'from a form on another site' });
    const plain = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as { hint: string }).hint).toMatch(/application\/json/);
    const form = await fetch(`${url}/api/reset`, { method: 'POST', body: new URLSearchParams({ sessionId: 'e'.repeat(32) }) });
    expect(form.status).toBe(415);
    expect((await fetch(`${url}/api/forget`, { method: 'POST', body })).status).toBe(415);
    expect(conversation.turns.length).toBe(turns);
    expect(conversation.calls.length).toBe(calls);
  });

  it('answers 403 to a request from an origin outside WIDGET_ORIGINS; allowed origins and the server\'s own pages pass', async () => {
    const turns = conversation.turns.length;
    const evil = await chat({ sessionId: 'f'.repeat(32), message: 'cross-site' }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { hint: string }).hint).toMatch(/WIDGET_ORIGINS/);
    expect((await fetch(`${url}/api/reset`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'null' }, body: JSON.stringify({ sessionId: 'f'.repeat(32) }) })).status).toBe(403);
    expect(conversation.turns.length).toBe(turns);
    expect(conversation.calls).not.toContain(expect.stringMatching(/^reset/));
    await readSse(await chat({ sessionId: 'f'.repeat(32), message: 'from the shop' }, { origin: 'https://shop.example' }));
    await readSse(await chat({ sessionId: 'f'.repeat(32), message: 'from the demo page' }, { origin: url }));
    expect(conversation.turns.slice(turns).map((t) => t.text)).toEqual(['from the shop', 'from the demo page']);
  });

  it('reads the history\'s session from X-Session-Id only, and marks it not to be stored', async () => {
    const inHeader = await fetch(`${url}/api/history`, { headers: { 'x-session-id': session } });
    expect(inHeader.status).toBe(200);
    expect(inHeader.headers.get('cache-control')).toBe('no-store');
    const inQuery = await fetch(`${url}/api/history?sessionId=${session}`);
    expect(inQuery.status).toBe(400);
    expect(((await inQuery.json()) as { hint: string }).hint).toMatch(/X-Session-Id header/);
  });

  it('refuses session ids with less than 128 bits (32 characters) with a clear 400', async () => {
    const short = await chat({ sessionId: 'k3v9x0q1w2e3r4t5', message: 'hi' });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: string }).error).toMatch(/sessionId: too short: at least 32 characters/);
    expect((await fetch(`${url}/api/history`, { headers: { 'x-session-id': 'k3v9x0q1w2e3r4t5' } })).status).toBe(400);
  });

  it('forgets a session only with "confirm": true', async () => {
    const forgetting = 'g'.repeat(32);
    const post = (body: unknown) => fetch(`${url}/api/forget`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const unconfirmed = await post({ sessionId: forgetting });
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { error: string }).error).toMatch(/confirm: forgetting cannot be undone/);
    expect(conversation.calls.filter((call) => call.startsWith('forget'))).toEqual([]);
    const confirmed = await post({ sessionId: forgetting, confirm: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect(conversation.calls.filter((call) => call.startsWith('forget'))).toEqual([expect.stringMatching(/^forget web:[0-9a-f]{32}$/)]);
  });

  it('sends nosniff and a referrer policy everywhere, and keeps the demo page out of frames', async () => {
    const responses = [await fetch(`${url}/health`), await fetch(`${url}/nope`), await fetch(`${url}/widget.js`), await chat({ sessionId: 'h'.repeat(32), message: 'hi' }), await fetch(`${url}/`)];
    for (const response of responses) {
      expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), response.url).toBe('no-referrer');
      await response.text();
    }
    const page = responses.at(-1) as Response;
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('logs a client that left mid-reply at debug, not as an error', async () => {
    const lines: string[] = [];
    let settled: (line: string) => void = () => undefined;
    const logged = new Promise<string>((resolve) => (settled = resolve));
    const leaving = createFakeConversation();
    leaving.handleTurn = async (request) => {
      request.onToken?.('first ');
      // Like the model: generation stops with an AbortError once the client is gone.
      await new Promise<void>((_, reject) => request.signal?.addEventListener('abort', () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }))));
      throw new Error('unreachable');
    };
    const server = createWebServer({
      conversation: leaving, host: '127.0.0.1', port: 0, allowedOrigins: ['*'], rateLimitPerMinute: 5,
      logger: createLogger({ level: 'debug', write: (line) => {
        lines.push(line);
        if (/client left|turn failed/.test(line)) settled(line);
      } }),
    });
    const { url: base } = await server.start();
    try {
      const controller = new AbortController();
      const response = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: session, message: 'bye' }), signal: controller.signal });
      const reader = response.body?.getReader();
      await reader?.read();
      controller.abort();
      expect(await logged).toMatch(/DEBUG .*the client left before the reply was complete/);
      expect(lines.filter((line) => / ERROR /.test(line))).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('web HTTP API limits on history and reset', () => {
  const servers: Array<ReturnType<typeof createWebServer>> = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });
  async function start(opts: { trustedProxies?: string[] } = {}) {
    const conversation = createFakeConversation({ delayMs: 1 });
    const server = createWebServer({ conversation, host: '127.0.0.1', port: 0, allowedOrigins: ['*'], rateLimitPerMinute: 2, logger: createMemoryLogger(), ...opts });
    servers.push(server);
    const { url } = await server.start();
    const history = (id: string, headers: Record<string, string> = {}) => fetch(`${url}/api/history`, { headers: { 'x-session-id': id, ...headers } });
    const reset = (id: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/api/reset`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ sessionId: id }) });
    return { conversation, history, reset };
  }
  const id = (n: number) => `session-${String(n).padStart(24, '0')}`;

  it('limits history and reset per session and per address (429 with Retry-After)', async () => {
    const { history, reset, conversation } = await start();
    expect([(await history(id(0))).status, (await history(id(0))).status, (await history(id(0))).status]).toEqual([200, 200, 429]);
    expect([(await reset(id(1))).status, (await reset(id(1))).status]).toEqual([200, 200]);
    const limited = await reset(id(1));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // New session ids do not escape the address's limit (5 x 2 a minute): 4 used above, 6 more.
    const statuses: number[] = [];
    for (let n = 2; n < 9; n++) statuses.push((await history(id(n))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect(conversation.calls.filter((call) => call.startsWith('reset'))).toHaveLength(2);
  });

  it('behind a trusted proxy, limits each client named by X-Forwarded-For; from anyone else the header is ignored', async () => {
    const proxied = await start({ trustedProxies: ['127.0.0.1'] });
    const burst = async (client: string, from: number) => {
      const statuses: number[] = [];
      for (let n = from; n < from + 11; n++) statuses.push((await proxied.history(id(n), { 'x-forwarded-for': `${client}, 127.0.0.1` })).status);
      return statuses;
    };
    expect(await burst('203.0.113.7', 0)).toEqual([...Array(10).fill(200), 429]);
    expect(await burst('203.0.113.8', 100)).toEqual([...Array(10).fill(200), 429]);

    const direct = await start();
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) statuses.push((await direct.history(id(n), { 'x-forwarded-for': `198.51.100.${n}` })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
  });
});

describe('the client address behind proxies', () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

  it('believes X-Forwarded-For only from trusted proxies, and takes the right-most address that is not one', () => {
    const addressOf = createClientAddress(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(addressOf(request('198.51.100.9', '1.2.3.4'))).toBe('198.51.100.9');
    expect(addressOf(request('127.0.0.1', '1.2.3.4'))).toBe('1.2.3.4');
    expect(addressOf(request('::ffff:127.0.0.1', 'spoofed-by-client, 203.0.113.5, 10.1.2.3'))).toBe('203.0.113.5');
    expect(addressOf(request('::1', '10.0.0.1, 10.0.0.2'))).toBe('10.0.0.1');
    expect(addressOf(request('127.0.0.1'))).toBe('127.0.0.1');
    expect(createClientAddress([])(request('127.0.0.1', '1.2.3.4'))).toBe('127.0.0.1');
  });
});
