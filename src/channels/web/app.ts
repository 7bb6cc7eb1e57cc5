/**
 * The web channel's routes on Hono, written against Web Request/Response: the widget
 * (`/widget.js`), its demo page (`/`) and the HTTP API behind it (docs/http-api.md). The node
 * adapter that listens is server.ts.
 */
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { ConversationPort } from '../../conversation/types.js';
import { describeError, HttpError, InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { createRateLimiter, type RateLimiter } from '../rate-limit.js';
import { chatStream, EVENT_STREAM_HEADERS } from './chat-stream.js';
import { createClientAddress, type ClientAddressOf } from './client-address.js';
import { corsHeaders, originAllowed } from './cors.js';
import { demoPage } from './demo-page.js';
import { errorResponse, jsonResponse, readJson } from './json-body.js';
import { chatBody, forgetBody, parseRequest, resetBody, sessionId, userIdOf } from './session.js';
import { assetResponse, staticAsset, type StaticAsset } from './static-asset.js';
import { widgetModified, widgetScript } from './widget-script.js';

/** Another handler on the same port (the Telegram webhook): POSTs to `path`, answered before the origin check. */
export interface ExtraRoute {
  path: string;
  handle(request: Request, clientAddress: string): Promise<Response>;
}

export interface WebAppDeps {
  conversation: ConversationPort;
  /** Page origins allowed to call the API; ['*'] allows any. */
  allowedOrigins: string[];
  rateLimitPerMinute: number;
  /** Reverse proxies whose X-Forwarded-For names the client (TRUST_PROXY); none by default. */
  trustedProxies?: string[];
  maxBodyBytes?: number;
  logger: Logger;
  /** What `/health` reports beside `ok` and the characters (e.g. the memory backlog). */
  health?: () => Promise<Record<string, unknown>>;
  extraRoutes?: ExtraRoute[];
}

type WebEnv = { Bindings: HttpBindings; Variables: { cors: Record<string, string> } };
type WebContext = Context<WebEnv>;

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
const DEMO_PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
const NO_STORE = { 'cache-control': 'no-store' };

/** A message budget per session, and a looser one per address (a household, an office shares one). */
interface Budget {
  session: RateLimiter;
  address: RateLimiter;
}

function budget(perMinute: number): Budget {
  return { session: createRateLimiter({ perMinute }), address: createRateLimiter({ perMinute: perMinute * 5 }) };
}

/** Refuses with 429 and Retry-After once the session or its address is over its budget. */
function within(limit: Budget, session: string, address: string, what: string): void {
  const wait = limit.session.check(userIdOf(session)) ?? limit.address.check(address);
  if (wait !== undefined) throw new HttpError(429, `too many ${what}; try again in ${wait} s`, { hint: 'slow down a little', retryAfter: wait });
}

/** The session of a GET: in a header, never in the URL (URLs end up in logs and in Referer). */
function sessionOf(c: WebContext): string {
  const header = c.req.header('x-session-id');
  if (header === undefined) {
    const hint = c.req.query('sessionId') === undefined ? '' : 'the sessionId query parameter is no longer read: ';
    throw new HttpError(400, 'the X-Session-Id header is missing', { hint: `${hint}send the session id in the X-Session-Id header` });
  }
  return parseRequest(sessionId, header);
}

/** Headers every answer gets, the origin check, CORS preflights, and errors as JSON. */
function guard(app: Hono<WebEnv>, deps: WebAppDeps, clientAddress: ClientAddressOf): void {
  const log = deps.logger;
  app.use(async (c, next) => {
    c.set('cors', corsHeaders(c.req.header('origin'), deps.allowedOrigins));
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  for (const route of deps.extraRoutes ?? []) app.post(route.path, (c) => route.handle(c.req.raw, clientAddress(c.env.incoming)));
  app.use(async (c, next) => {
    const origin = c.req.header('origin');
    // CORS only stops a page from reading the answer; the request itself would still run.
    if (!originAllowed(origin, c.req.header('host'), deps.allowedOrigins)) {
      throw new HttpError(403, `requests from ${origin} are not allowed`, { hint: 'add the page\'s origin to WIDGET_ORIGINS' });
    }
    await next();
    for (const [name, value] of Object.entries(c.get('cors'))) c.res.headers.set(name, value);
  });
  app.options('*', () => new Response(null, { status: 204 }));
  app.notFound((c) => errorResponse(new HttpError(404, `no route ${c.req.method} ${c.req.path}`, { hint: 'see docs/http-api.md' }), c.get('cors')));
  app.onError((error, c) => {
    if (error instanceof HttpError) return errorResponse(error, c.get('cors'));
    if (error instanceof InputError) return errorResponse(new HttpError(400, error.message, error.hint === undefined ? {} : { hint: error.hint }), c.get('cors'));
    if (c.req.raw.signal.aborted) {
      log.debug(`web: ${c.req.method} ${c.req.path}: the client left (${describeError(error)})`);
      return new Response(null, { status: 499 });
    }
    log.error(`web: ${c.req.method} ${c.req.path}: ${describeError(error)}`);
    return errorResponse(new HttpError(500, 'internal error; it has been logged'), c.get('cors'));
  });
}

/** The widget and the demo page: fixed bytes with validators, so HEAD and conditional GETs work. */
function assets(app: Hono<WebEnv>, deps: WebAppDeps): void {
  const widget = staticAsset(widgetScript, widgetModified, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' });
  const started = new Date();
  let demo: StaticAsset | undefined;
  app.get('/widget.js', (c) => assetResponse(widget, c.req.raw));
  app.get('/', (c) => {
    const body = demoPage(deps.conversation.listCharacters()[0]?.name ?? '');
    if (demo?.body !== body) demo = staticAsset(body, started, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DEMO_PAGE_CSP, 'x-frame-options': 'DENY' });
    return assetResponse(demo, c.req.raw);
  });
}

function api(app: Hono<WebEnv>, deps: WebAppDeps, clientAddress: ClientAddressOf): void {
  const { conversation } = deps;
  const maxBody = deps.maxBodyBytes ?? 16 * 1024;
  const messages = budget(deps.rateLimitPerMinute);
  // History, reset and forget have their own budget: reloading a page must not cost messages.
  const controls = budget(deps.rateLimitPerMinute);
  const addressOf = (c: WebContext) => clientAddress(c.env.incoming);

  app.get('/health', async () => jsonResponse(200, { ok: true, characters: conversation.listCharacters().length, ...(await deps.health?.()) }));
  app.get('/api/characters', () => jsonResponse(200, { characters: conversation.listCharacters() }));
  app.post('/api/chat', async (c) => {
    const body = parseRequest(chatBody, await readJson(c.req.raw, maxBody));
    within(messages, body.sessionId, addressOf(c), 'messages');
    const turn = { userId: userIdOf(body.sessionId), message: body.message, character: body.character, messageId: body.messageId };
    return new Response(chatStream(deps, turn, c.req.raw.signal), { status: 200, headers: EVENT_STREAM_HEADERS });
  });
  app.get('/api/history', async (c) => {
    const session = sessionOf(c);
    within(controls, session, addressOf(c), 'requests');
    return jsonResponse(200, { messages: await conversation.history('web', userIdOf(session), 100) }, NO_STORE);
  });
  app.post('/api/reset', async (c) => {
    const body = parseRequest(resetBody, await readJson(c.req.raw, maxBody));
    within(controls, body.sessionId, addressOf(c), 'requests');
    await conversation.reset('web', userIdOf(body.sessionId));
    return jsonResponse(200, { ok: true }, NO_STORE);
  });
  app.post('/api/forget', async (c) => {
    const body = parseRequest(forgetBody, await readJson(c.req.raw, maxBody));
    within(controls, body.sessionId, addressOf(c), 'requests');
    await conversation.forget('web', userIdOf(body.sessionId));
    return jsonResponse(200, { ok: true }, NO_STORE);
  });
}

export function createWebApp(deps: WebAppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const clientAddress = createClientAddress(deps.trustedProxies ?? []);
  guard(app, deps, clientAddress);
  assets(app, deps);
  api(app, deps, clientAddress);
  return app;
}
