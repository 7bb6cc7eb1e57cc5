/**
 * Who may change the embedded gateway's state beyond posting and mining. arlocal serves routes
 * meant for test suites (wipe the chain, mint any balance, delete a transaction, set a wallet's
 * balance, read its log file) to anyone who can reach its port, a web page's requests to
 * 127.0.0.1 included; on the embedded gateway, which holds the memory, those need a token that
 * only this process knows and that our Arweave client sends.
 */
import { randomBytes } from 'node:crypto';

export const GATEWAY_TOKEN_HEADER = 'x-permachat-gateway-token';

/**
 * Random per process, never written anywhere: the gateway started here and the clients created
 * here share it, and nothing else can learn it. Another process pointed at this gateway by
 * ARWEAVE_URL can post, mine and read, but not mint (see createArweaveClient's hint).
 */
export const processGatewayToken: string = randomBytes(32).toString('base64url');

/** Posting transactions (with their chunks) and GraphQL are what a gateway is for. */
const OPEN_POSTS = new Set(['/tx', '/chunk', '/graphql']);
/**
 * GETs are open, except these, which change state or read outside the chain (`/logs`). arlocal's
 * router matches case-insensitively and ignores a trailing slash, so the path is compared in
 * that form. `/mine` alone (mine what is pending) stays open: posting clients need it;
 * `/mine/<n>` (n more blocks) is a cheap way to flood.
 */
const GUARDED_READS = /^\/(?:reset|logs|mint|minewithfails)(?:\/|$)|^\/mine\/[^/]/;

function normalisedPath(rawPath: string): string {
  let decoded = rawPath;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    // Malformed escapes: compared as they are, as arlocal's router matches them.
  }
  return decoded.toLowerCase().replace(/\/{2,}/g, '/');
}

/** Whether a request needs the token: fail-closed for methods and POST routes not listed as open. */
export function needsGatewayToken(method: string, rawPath: string): boolean {
  const route = normalisedPath(rawPath);
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return GUARDED_READS.test(route);
    case 'OPTIONS':
      // CORS preflight: answered without touching state.
      return false;
    case 'POST':
      return !OPEN_POSTS.has(route.replace(/\/+$/, ''));
    default:
      return true;
  }
}
