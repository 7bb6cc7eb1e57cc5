import { describe, expect, it } from 'vitest';
import { parseUserKey, readUserKey, userKeyOf } from '../../src/conversation/user-key.js';
import { InputError } from '../../src/errors.js';

describe('user keys', () => {
  it('are written <channel>:<id>, byte for byte as memory records are tagged', () => {
    expect(userKeyOf('cli', 'alice')).toBe('cli:alice');
    expect(userKeyOf('telegram', '-100987:12345')).toBe('telegram:-100987:12345');
    expect(userKeyOf('web', 'Zoë-🌊')).toBe('web:Zoë-🌊');
  });

  it('are taken apart at the first colon: a Telegram group member’s id keeps its own', () => {
    expect(parseUserKey('telegram:-100987:12345')).toEqual({ channel: 'telegram', id: '-100987:12345', key: 'telegram:-100987:12345' });
    for (const [channel, id] of [['cli', 'José'], ['web', '3f9a0c'], ['telegram', '12345']] as const) {
      expect(parseUserKey(userKeyOf(channel, id))).toMatchObject({ channel, id });
    }
  });

  it('reject text that is not a key, saying how to write one', () => {
    for (const text of ['alice', 'cli:', 'sms:+4915112345678', ':alice', '']) expect(readUserKey(text)).toBeUndefined();
    expect(() => parseUserKey('discord:1234')).toThrow(InputError);
    expect(() => parseUserKey('discord:1234')).toThrow(/"discord:1234" is not a user key/);
  });
});
