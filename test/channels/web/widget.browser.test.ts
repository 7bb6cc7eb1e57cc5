import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebServer } from '../../../src/channels/web/server.js';
import { MAX_MESSAGE_CHARS } from '../../../src/conversation/input.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { createFakeConversation } from '../../support/fake-conversation.js';
import { repoRoot } from '../../support/tmp-dir.js';
import { skipWhenMissing } from '../../support/prerequisite.js';

/** The browser globals these tests read inside page.evaluate (the project compiles without DOM types). */
interface BrowserGlobals {
  getComputedStyle(el: unknown): { color: string };
  __pwned?: number;
}

/** Types a message into the widget on the page and sends it with Enter. */
async function sendInWidget(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-permachat] >> css=textarea');
  await input.fill(text);
  await input.press('Enter');
}

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

describe.skipIf(skipWhenMissing(haveChromium, '/usr/bin/chromium (apt-get install chromium; .ci/run does)'))('web widget in headless Chromium', () => {
  const conversation = createFakeConversation({ delayMs: 15 });
  conversation.reply = (request) => `Hello! You wrote: ${request.text} — and **this** is \`markdown\``;
  const server = createWebServer({ conversation, host: '127.0.0.1', port: 0, allowedOrigins: ['*'], rateLimitPerMinute: 100, logger: createMemoryLogger() });
  let widgetUrl = '';
  let hostPage: http.Server;
  let pageUrl = '';
  let browser: Browser;

  beforeAll(async () => {
    widgetUrl = (await server.start()).url;
    // A host page on another origin, with its own aggressive styles: the widget must not inherit them.
    hostPage = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><style>* { color: red !important; font-size: 30px; } button { background: lime; }</style></head>` +
          `<body><h1>A shop</h1><p>Some page content.</p><script src="${widgetUrl}/widget.js" data-character="Marlowe" async></script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => hostPage.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(hostPage.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server.stop();
    await new Promise<void>((resolve) => hostPage?.close(() => resolve()));
  });

  /** A fresh browser profile on the host page, with the widget's panel open. */
  async function openWidget() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.locator('[data-permachat] >> css=button.bubble').click();
    return { page, context };
  }

  it('opens, streams a reply, keeps the conversation across a reload, renders injection as text', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(pageUrl);
    const bubble = page.locator('[data-permachat] >> css=button.bubble');
    await bubble.click();
    const input = page.locator('[data-permachat] >> css=textarea');
    await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await input.fill('hi marlowe');
    await input.press('Enter');
    const bot = page.locator('[data-permachat] >> css=.msg.bot').last();
    // Streaming: part of the reply is visible before the whole.
    await expect.poll(async () => (await bot.textContent())?.length ?? 0, { timeout: 5000 }).toBeGreaterThan(0);
    const partial = (await bot.textContent()) ?? '';
    await expect.poll(() => bot.locator('strong').count(), { timeout: 10_000 }).toBe(1);
    expect(partial.length).toBeLessThan('Hello! You wrote: hi marlowe — and this is markdown'.length);
    expect(await bot.textContent()).toBe('Hello! You wrote: hi marlowe — and this is markdown');
    expect(await bot.locator('code').textContent()).toBe('markdown');
    // Styles are isolated from the host page's `* { color: red }`.
    expect(await bot.evaluate((el) => (globalThis as unknown as BrowserGlobals).getComputedStyle(el).color)).not.toBe('rgb(255, 0, 0)');
    expect(conversation.turns.at(-1)?.character).toBe('Marlowe');
    await page.screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', 'widget-desktop.png') });

    await page.reload();
    await page.locator('[data-permachat] >> css=button.bubble').click();
    await expect.poll(() => page.locator('[data-permachat] >> css=.msg.user').allTextContents(), { timeout: 5000 }).toEqual(['hi marlowe']);

    const attack = '<img src=x onerror="window.__pwned=1">';
    await sendInWidget(page, attack);
    const lastBot = page.locator('[data-permachat] >> css=.msg.bot').last();
    await expect.poll(() => lastBot.textContent(), { timeout: 10_000 }).toContain('You wrote: <img src=x');
    expect(await page.locator('[data-permachat] >> css=.msg.user').last().textContent()).toBe(attack);
    expect(await page.locator('[data-permachat] >> css=img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).toBeUndefined();

    await page.keyboard.press('Escape');
    expect(await page.locator('[data-permachat] >> css=.panel').evaluate((el) => el.classList.contains('open'))).toBe(false);
    await context.close();
  });

  it('offers Retry for a message not answered, and sends it again with the same message id', async () => {
    const original = conversation.handleTurn;
    const keys: Array<string | undefined> = [];
    let failures = 1;
    conversation.handleTurn = async (request) => {
      keys.push(request.idempotencyKey);
      if (failures-- > 0) throw new Error('the model stopped');
      return original(request);
    };
    const { page, context } = await openWidget();
    try {
      await sendInWidget(page, 'this one fails once');
      const error = page.locator('[data-permachat] >> css=.msg.error');
      await expect.poll(() => error.textContent(), { timeout: 10_000 }).toContain('Message not answered: the model stopped');
      await error.locator('button').click();
      const bot = page.locator('[data-permachat] >> css=.msg.bot').last();
      await expect.poll(() => bot.textContent(), { timeout: 10_000 }).toBe('Hello! You wrote: this one fails once — and this is markdown');
      expect(await error.count()).toBe(0);
      expect(await page.locator('[data-permachat] >> css=.msg.user').allTextContents()).toEqual(['this one fails once']);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(keys[1]).toBe(keys[0]);
    } finally {
      conversation.handleTurn = original;
      await context.close();
    }
  });

  it('starts a new conversation from the header, keeping the bot\'s memory', async () => {
    const { page, context } = await openWidget();
    try {
      await sendInWidget(page, 'before the new conversation');
      const bot = page.locator('[data-permachat] >> css=.msg.bot').last();
      await expect.poll(() => bot.locator('strong').count(), { timeout: 10_000 }).toBe(1);
      const calls = conversation.calls.length;
      await page.locator('[data-permachat] >> css=button[aria-label="Start a new conversation"]').click();
      const note = page.locator('[data-permachat] >> css=.msg.note');
      await expect.poll(() => note.textContent(), { timeout: 5000 }).toBe('New conversation. Marlowe still remembers you.');
      expect(await page.locator('[data-permachat] >> css=.msg.user, .msg.bot').count()).toBe(0);
      expect(conversation.calls.slice(calls)).toEqual([expect.stringMatching(/^reset web:[0-9a-f]{32}$/)]);
      // The server's history for the session starts again too: a reload shows nothing old.
      await page.reload();
      await page.locator('[data-permachat] >> css=button.bubble').click();
      await sendInWidget(page, 'after it');
      await expect.poll(() => page.locator('[data-permachat] >> css=.msg.user').allTextContents(), { timeout: 10_000 }).toEqual(['after it']);
    } finally {
      await context.close();
    }
  });

  it('forgets the person after a confirmation in the panel, and sends the session id in a header, not the URL', async () => {
    const { page, context } = await openWidget();
    const widget = (css: string) => page.locator(`[data-permachat] >> css=${css}`);
    try {
      await sendInWidget(page, 'something to forget');
      await expect.poll(() => widget('.msg.bot').last().locator('strong').count(), { timeout: 10_000 }).toBe(1);
      const calls = conversation.calls.length;
      const forget = widget('button[aria-label="Forget everything I said"]');
      const ask = widget('.msg.confirm');
      await forget.click();
      await expect.poll(() => ask.textContent(), { timeout: 5000 }).toContain('Make Marlowe forget everything you said, for good?');
      await ask.locator('button.cancel').click();
      expect(await ask.count()).toBe(0);
      expect(conversation.calls.slice(calls)).toEqual([]);

      await forget.click();
      await ask.locator('button:not(.cancel)').click();
      await expect.poll(() => widget('.msg.note').textContent(), { timeout: 5000 }).toBe('Done. Marlowe will not recall anything you said before now.');
      expect(await widget('.msg.user, .msg.bot').count()).toBe(0);
      expect(conversation.calls.slice(calls)).toEqual([expect.stringMatching(/^forget web:[0-9a-f]{32}$/)]);

      const historyRequest = page.waitForRequest((request) => request.url().includes('/api/history'));
      await page.reload();
      await widget('button.bubble').click();
      const request = await historyRequest;
      expect(request.headers()['x-session-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(request.url()).not.toContain(request.headers()['x-session-id'] ?? 'missing');
      await sendInWidget(page, 'a fresh start');
      await expect.poll(() => widget('.msg.user').allTextContents(), { timeout: 10_000 }).toEqual(['a fresh start']);
    } finally {
      await context.close();
    }
  });

  it('lets a person type no more than the server takes', async () => {
    const { page, context } = await openWidget();
    try {
      const input = page.locator('[data-permachat] >> css=textarea');
      expect(await input.getAttribute('maxlength')).toBe(String(MAX_MESSAGE_CHARS));
      await input.evaluate((el, limit) => ((el as unknown as { value: string }).value = 'é'.repeat(limit - 1)), MAX_MESSAGE_CHARS);
      // One more character fits; the one after is refused by the browser.
      await input.press('x');
      await input.press('y');
      expect((await input.inputValue()).length).toBe(MAX_MESSAGE_CHARS);
    } finally {
      await context.close();
    }
  });

  it('fills a phone-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.locator('[data-permachat] >> css=button.bubble').click();
    const box = await page.locator('[data-permachat] >> css=.panel').boundingBox();
    expect(box?.width).toBe(390);
    await page.locator('[data-permachat] >> css=textarea').fill('what do you see?');
    await page.locator('[data-permachat] >> css=textarea').press('Enter');
    await expect.poll(() => page.locator('[data-permachat] >> css=.msg.bot strong').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', 'widget-phone.png') });
    await context.close();
  });
});
