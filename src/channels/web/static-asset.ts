/**
 * Fixed files served over HTTP (the widget, the demo page) with validators, so a browser that
 * has them asks "changed?" and gets a bodiless 304 instead of the file again.
 */
import { sha256Hex } from '../../hash.js';

export interface StaticAsset {
  body: string;
  /** A strong validator: the same bytes always get the same tag, across restarts too. */
  etag: string;
  /** Whole seconds: HTTP dates carry no more, and If-Modified-Since compares against them. */
  lastModified: Date;
  /** Content-Type, Cache-Control and whatever else the asset is always sent with. */
  headers: Record<string, string>;
}

export function staticAsset(body: string, modified: Date, headers: Record<string, string>): StaticAsset {
  return {
    body,
    etag: `"${sha256Hex(body).slice(0, 32)}"`,
    lastModified: new Date(Math.floor(modified.getTime() / 1000) * 1000),
    headers,
  };
}

/** Entity tags in an If-None-Match list compare weakly (RFC 9110 13.1.2): W/ is ignored. */
function matchesTag(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** If-None-Match wins when present; If-Modified-Since is read only without it (RFC 9110 13.2.2). */
export function notModified(asset: StaticAsset, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): boolean {
  if (ifNoneMatch !== undefined) return matchesTag(ifNoneMatch, asset.etag);
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && asset.lastModified.getTime() <= since;
}

/** The asset, or 304 when the request's validators say the client has it already. HEAD is GET without the body. */
export function assetResponse(asset: StaticAsset, request: Request, extra: Record<string, string> = {}): Response {
  const validators = { etag: asset.etag, 'last-modified': asset.lastModified.toUTCString() };
  const conditional = notModified(asset, request.headers.get('if-none-match') ?? undefined, request.headers.get('if-modified-since') ?? undefined);
  if (conditional) return new Response(null, { status: 304, headers: { ...asset.headers, ...validators, ...extra } });
  return new Response(asset.body, {
    status: 200,
    headers: { ...asset.headers, ...validators, 'content-length': String(Buffer.byteLength(asset.body)), ...extra },
  });
}
