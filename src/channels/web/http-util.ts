/** Small helpers for node:http: JSON answers, bounded bodies, CORS. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PermachatError } from '../../errors.js';

export class HttpError extends PermachatError {
  constructor(readonly status: number, message: string, hint?: string) {
    super('HTTP', message, hint === undefined ? {} : { hint });
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: error.message, ...(error.hint ? { hint: error.hint } : {}) }, headers);
}

/**
 * Reads a JSON body of at most `limit` bytes (413 beyond it, 400 when it is not JSON). A body
 * not declared as JSON gets 415: a page on any site can send text/plain or a form without asking
 * (no CORS preflight); application/json it cannot, unless WIDGET_ORIGINS lets it.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new HttpError(415, `the request body must be JSON, not ${type || 'a body without Content-Type'}`, 'send Content-Type: application/json with a JSON object');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `the request body is larger than ${limit} bytes`, 'send a shorter message');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `the request body is larger than ${limit} bytes`, 'send a shorter message');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text || 'null');
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON', 'send Content-Type: application/json with a JSON object');
  }
}

/**
 * Whether a request may be served: no Origin (not a browser's cross-site request), an allowed
 * one, or the server's own (its demo page: the Origin names the host the request went to).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (origin === undefined || allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // `null` (sandboxed frames, files) and other non-URLs
  }
}

/** CORS headers for an allowed Origin; none for others (the browser then refuses the response). */
export function corsHeaders(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (!origin) return {};
  const ok = allowed.includes('*') || allowed.includes(origin);
  if (!ok) return {};
  return {
    'access-control-allow-origin': allowed.includes('*') ? '*' : origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-session-id',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}
