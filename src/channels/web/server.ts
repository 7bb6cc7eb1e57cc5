/**
 * The web channel: the embeddable widget (`/widget.js`), its demo page (`/`), and the HTTP API
 * behind it (docs/http-api.md). Replies stream as server-sent events. node:http only.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ConversationPort } from '../../conversation/types.js';
import { describeError, InputError } from '../../errors.js';
import { sha256Hex } from '../../hash.js';
import type { Logger } from '../../logger.js';
import { corsHeaders, HttpError, originAllowed, readJson, sendError, sendJson } from './http-util.js';
import { createRateLimiter, type RateLimiter } from '../rate-limit.js';
import { createClientAddress } from './client-address.js';
import { widgetScript } from './widget-script.js';
import { demoPage } from './demo-page.js';

export interface WebServerDeps {
  conversation: ConversationPort;
  host: string;
  port: number;
  /** Page origins allowed to call the API; ['*'] allows any. */
  allowedOrigins: string[];
  rateLimitPerMinute: number;
  /** Reverse proxies whose X-Forwarded-For names the client (TRUST_PROXY); none by default. */
  trustedProxies?: string[];
  maxBodyBytes?: number;
  logger: Logger;
  /** What `/health` reports beside `ok` and the characters (e.g. the memory backlog). */
  health?: () => Promise<Record<string, unknown>>;
  /** Other handlers on the same port (the Telegram webhook); true when handled. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A bearer secret: long enough for 128 random bits even in hex (the widget's 16 random bytes). */
const sessionId = z
  .string('a random id of 32 to 128 letters, digits, - or _')
  .min(32, 'too short: at least 32 characters, made from 16 or more random bytes (128 bits), e.g. in hex')
  .max(128, 'at most 128 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, - or _');
const chatBody = z.object({
  sessionId,
  message: z.string().min(1, 'the message is empty').max(4000, 'at most 4000 characters'),
  character: z.string().max(64).optional(),
  /** The client's id for this message: sent again (a retry), it is answered once. */
  messageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an id of 8 to 64 letters, digits, - or _').optional(),
});
const resetBody = z.object({ sessionId });
const forgetBody = z.object({
  sessionId,
  confirm: z.literal(true, 'forgetting cannot be undone: send "confirm": true to go ahead'),
});

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
const DEMO_PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/** The session id is a bearer secret kept by the browser; the conversation sees only its hash. */
export const userIdOf = (session: string) => sha256Hex(`web-session:${session}`).slice(0, 32);

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, `${where}${issue?.message ?? 'invalid request'}`, 'send JSON like {"sessionId":"<random id>","message":"hello"}');
}

export function createWebServer(deps: WebServerDeps) {
  const maxBody = deps.maxBodyBytes ?? 16 * 1024;
  // An address may hold several sessions (a household, an office): a looser limit there.
  const limits = () => ({ session: createRateLimiter({ perMinute: deps.rateLimitPerMinute }), address: createRateLimiter({ perMinute: deps.rateLimitPerMinute * 5 }) });
  const messages = limits();
  // History, reset and forget have their own budget: reloading a page must not cost messages.
  const controls = limits();
  const clientAddress = createClientAddress(deps.trustedProxies ?? []);
  const log = deps.logger;
  let server: http.Server | undefined;

  function within(limit: { session: RateLimiter; address: RateLimiter }, session: string, req: IncomingMessage, what: string): void {
    const wait = limit.session.check(userIdOf(session)) ?? limit.address.check(clientAddress(req));
    if (wait !== undefined) {
      throw Object.assign(new HttpError(429, `too many ${what}; try again in ${wait} s`, 'slow down a little'), { retryAfter: wait });
    }
  }

  /** The session of a GET: in a header, never in the URL (URLs end up in logs and in Referer). */
  function sessionOf(req: IncomingMessage, url: URL): string {
    const header = req.headers['x-session-id'];
    if (typeof header !== 'string') {
      const hint = url.searchParams.has('sessionId') ? 'the sessionId query parameter is no longer read: ' : '';
      throw new HttpError(400, 'the X-Session-Id header is missing', `${hint}send the session id in the X-Session-Id header`);
    }
    return parse(sessionId, header);
  }

  async function chat(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    const body = parse(chatBody, await readJson(req, maxBody));
    within(messages, body.sessionId, req, 'messages');
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no', ...cors });
    const event = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    try {
      const result = await deps.conversation.handleTurn({
        channel: 'web',
        userId: userIdOf(body.sessionId),
        text: body.message,
        ...(body.character ? { character: body.character } : {}),
        ...(body.messageId ? { idempotencyKey: body.messageId } : {}),
        signal: controller.signal,
        onToken: (text) => event('token', { text }),
      });
      event('done', { turnId: result.turnId, reply: result.reply, character: result.character, ...(result.repeated ? { repeated: true } : {}) });
    } catch (error) {
      if (controller.signal.aborted) {
        // The person closed the page or lost the connection: nothing went wrong on our side.
        log.debug(`web: the client left before the reply was complete (${describeError(error)})`);
      } else {
        // The stream has started: the error goes in the stream, and is logged.
        const message = describeError(error);
        if (!(error instanceof InputError)) log.error(`web turn failed: ${message}`);
        event('error', { error: message });
      }
    }
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cors = corsHeaders(req.headers.origin, deps.allowedOrigins);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    try {
      if (deps.extraRoutes?.(req, res)) return;
      // CORS only stops a page from reading the answer; the request itself would still run.
      if (!originAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins)) {
        throw new HttpError(403, `requests from ${req.headers.origin} are not allowed`, 'add the page\'s origin to WIDGET_ORIGINS');
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors).end();
        return;
      }
      const key = `${req.method} ${url.pathname}`;
      switch (key) {
        case 'GET /health':
          return sendJson(res, 200, { ok: true, characters: deps.conversation.listCharacters().length, ...(await deps.health?.()) }, cors);
        case 'GET /widget.js':
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300', ...cors }).end(widgetScript);
          return;
        case 'GET /':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DEMO_PAGE_CSP, 'x-frame-options': 'DENY' })
            .end(demoPage(deps.conversation.listCharacters()[0]?.name ?? ''));
          return;
        case 'GET /api/characters':
          return sendJson(res, 200, { characters: deps.conversation.listCharacters() }, cors);
        case 'POST /api/chat':
          return await chat(req, res, cors);
        case 'GET /api/history': {
          const session = sessionOf(req, url);
          within(controls, session, req, 'requests');
          const history = await deps.conversation.history('web', userIdOf(session), 100);
          return sendJson(res, 200, { messages: history }, { ...cors, 'cache-control': 'no-store' });
        }
        case 'POST /api/reset': {
          const body = parse(resetBody, await readJson(req, maxBody));
          within(controls, body.sessionId, req, 'requests');
          await deps.conversation.reset('web', userIdOf(body.sessionId));
          return sendJson(res, 200, { ok: true }, { ...cors, 'cache-control': 'no-store' });
        }
        case 'POST /api/forget': {
          const body = parse(forgetBody, await readJson(req, maxBody));
          within(controls, body.sessionId, req, 'requests');
          await deps.conversation.forget('web', userIdOf(body.sessionId));
          return sendJson(res, 200, { ok: true }, { ...cors, 'cache-control': 'no-store' });
        }
        default:
          throw new HttpError(404, `no route ${req.method} ${url.pathname}`, 'see docs/http-api.md');
      }
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (req.destroyed && !(error instanceof HttpError)) {
        log.debug(`web: ${req.method} ${url.pathname}: the client left (${describeError(error)})`);
        return;
      }
      if (error instanceof HttpError) {
        const retry = (error as HttpError & { retryAfter?: number }).retryAfter;
        return sendError(res, error, { ...cors, ...(retry ? { 'retry-after': String(retry) } : {}) });
      }
      if (error instanceof InputError) return sendError(res, new HttpError(400, error.message, error.hint), cors);
      log.error(`web: ${req.method} ${url.pathname}: ${describeError(error)}`);
      return sendError(res, new HttpError(500, 'internal error; it has been logged'), cors);
    }
  }

  return {
    async start(): Promise<{ url: string; port: number }> {
      server = http.createServer((req, res) => void route(req, res));
      server.requestTimeout = 120_000;
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(deps.port, deps.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const url = `http://${deps.host.includes(':') ? `[${deps.host}]` : deps.host}:${port}`;
      log.info(`web: widget and API on ${url}`);
      return { url, port };
    },
    async stop(): Promise<void> {
      const s = server;
      if (!s) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
