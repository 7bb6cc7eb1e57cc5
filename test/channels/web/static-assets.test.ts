import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebServer } from '../../../src/channels/web/server.js';
import { notModified, staticAsset } from '../../../src/channels/web/static-asset.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { createFakeConversation } from '../../support/fake-conversation.js';

describe('the widget and the demo page: HEAD and conditional GET', () => {
  const server = createWebServer({ conversation: createFakeConversation(), host: '127.0.0.1', port: 0, allowedOrigins: ['https://shop.example'], rateLimitPerMinute: 5, logger: createMemoryLogger() });
  let url = '';
  beforeAll(async () => {
    url = (await server.start()).url;
  });
  afterAll(async () => server.stop());

  for (const path of ['/widget.js', '/']) {
    it(`answers HEAD ${path} with GET's headers and no body`, async () => {
      const get = await fetch(`${url}${path}`);
      const body = await get.text();
      const head = await fetch(`${url}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      for (const name of ['content-type', 'etag', 'last-modified', 'x-content-type-options', 'cache-control', 'content-security-policy']) {
        expect(head.headers.get(name), name).toBe(get.headers.get(name));
      }
      expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    });

    it(`answers 304 to GET ${path} when the client's copy is current, 200 when it is not`, async () => {
      const first = await fetch(`${url}${path}`);
      await first.text();
      const etag = first.headers.get('etag') ?? '';
      const lastModified = first.headers.get('last-modified') ?? '';
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(new Date(lastModified).getTime()).toBeLessThanOrEqual(Date.now());

      const same = await fetch(`${url}${path}`, { headers: { 'if-none-match': etag } });
      expect(same.status).toBe(304);
      expect(await same.text()).toBe('');
      expect(same.headers.get('etag')).toBe(etag);
      expect(same.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${url}${path}`, { headers: { 'if-none-match': `"stale", W/${etag}` } })).status).toBe(304);
      expect((await fetch(`${url}${path}`, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);

      const changed = await fetch(`${url}${path}`, { headers: { 'if-none-match': '"0123456789abcdef0123456789abcdef"' } });
      expect(changed.status).toBe(200);
      expect((await changed.text()).length).toBeGreaterThan(100);
      // A tag that does not match wins over a date that would: the tag is the exact check.
      expect((await fetch(`${url}${path}`, { headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } })).status).toBe(200);
      expect((await fetch(`${url}${path}`, { headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).status).toBe(200);
    });
  }

  it('keeps the widget\'s CORS headers for an allowed page, and HEAD on an unknown path is 404', async () => {
    const head = await fetch(`${url}/widget.js`, { method: 'HEAD', headers: { origin: 'https://shop.example' } });
    expect(head.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect((await fetch(`${url}/nothing-here.js`, { method: 'HEAD' })).status).toBe(404);
  });
});

describe('validators of a static asset', () => {
  const asset = staticAsset('console.log("héllo, 世界 👋")', new Date('2026-03-14T15:09:26.535Z'), {});

  it('tags by content and keeps whole seconds of the date', () => {
    expect(asset.etag).toBe(staticAsset('console.log("héllo, 世界 👋")', new Date(), {}).etag);
    expect(asset.etag).not.toBe(staticAsset('console.log("hello")', new Date(), {}).etag);
    expect(asset.lastModified.toISOString()).toBe('2026-03-14T15:09:26.000Z');
  });

  it('reads If-None-Match lists and *, and If-Modified-Since only without If-None-Match', () => {
    expect(notModified(asset, '*', undefined)).toBe(true);
    expect(notModified(asset, ` "a", ${asset.etag} `, undefined)).toBe(true);
    expect(notModified(asset, '"a"', 'Sat, 14 Mar 2026 15:09:26 GMT')).toBe(false);
    expect(notModified(asset, undefined, 'Sat, 14 Mar 2026 15:09:26 GMT')).toBe(true);
    expect(notModified(asset, undefined, 'Sat, 14 Mar 2026 15:09:25 GMT')).toBe(false);
    expect(notModified(asset, undefined, 'yesterday')).toBe(false);
    expect(notModified(asset, undefined, undefined)).toBe(false);
  });
});
