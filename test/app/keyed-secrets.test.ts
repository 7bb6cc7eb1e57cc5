import { describe, expect, it } from 'vitest';
import { deriveKeyed } from '../../src/app/keyed-secrets.js';

describe('keyed secrets', () => {
  it('derives the Telegram webhook secret: stable, valid for Telegram, per master key and per bot', async () => {
    const keyed = await deriveKeyed(new Uint8Array(32).fill(1));
    const secret = keyed.telegramWebhookSecret('123:token');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    // A restart derives it again from the same master key: Telegram's registration stays valid.
    expect((await deriveKeyed(new Uint8Array(32).fill(1))).telegramWebhookSecret('123:token')).toBe(secret);
    expect(keyed.telegramWebhookSecret('456:other')).not.toBe(secret);
    expect((await deriveKeyed(new Uint8Array(32).fill(2))).telegramWebhookSecret('123:token')).not.toBe(secret);
  });
});
