/** Which pages may call the API (WIDGET_ORIGINS), and the CORS headers that tell their browsers so. */

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
