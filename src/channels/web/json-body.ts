/** JSON request bodies, bounded, and JSON answers (errors included) for the web API. */
import { HttpError } from '../../errors.js';

const tooLarge = (limit: number) => new HttpError(413, `the request body is larger than ${limit} bytes`, { hint: 'send a shorter message' });

/** The body as text, refused with 413 as soon as it passes `limit` bytes (nothing more is read). */
async function readBounded(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Reads a JSON body of at most `limit` bytes (413 beyond it, 400 when it is not JSON). A body
 * not declared as JSON gets 415: a page on any site can send text/plain or a form without asking
 * (no CORS preflight); application/json it cannot, unless WIDGET_ORIGINS lets it.
 */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new HttpError(415, `the request body must be JSON, not ${type || 'a body without Content-Type'}`, { hint: 'send Content-Type: application/json with a JSON object' });
  }
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge(limit);
  const text = await readBounded(request.body, limit);
  try {
    return JSON.parse(text || 'null');
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON', { hint: 'send Content-Type: application/json with a JSON object' });
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, { status, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers } });
}

/** `{ error, hint? }` with the error's status, and Retry-After when it has one. */
export function errorResponse(error: HttpError, headers: Record<string, string> = {}): Response {
  const retry: Record<string, string> = error.retryAfter === undefined ? {} : { 'retry-after': String(error.retryAfter) };
  return jsonResponse(error.status, { error: error.message, ...(error.hint ? { hint: error.hint } : {}) }, { ...headers, ...retry });
}
