import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseDotEnv, settings } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../support/tmp-dir.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has embedded defaults for everything', () => {
    const config = loadConfig({}, {}, '/srv/bot');
    expect(config.PORT).toBe(3000);
    expect(config.dataDir).toBe(path.resolve('/srv/bot', '.permachat'));
    expect(config.AO_MODE).toBe('embedded');
    expect(config.PRIVACY).toBe('private');
    expect(config.MODEL_PATH).toBeUndefined();
  });

  it('treats empty values as unset and overrides win over the environment', () => {
    const config = loadConfig({ PORT: '', LLM_MODEL: 'from-env' }, { LLM_MODEL: 'explicit' });
    expect(config.PORT).toBe(3000);
    expect(config.LLM_MODEL).toBe('explicit');
  });

  it('names the variable and how to supply it when a value is bad', () => {
    const error = configError({ PORT: 'eighty' });
    expect(error.variable).toBe('PORT');
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('"eighty"');
    expect(error.toUserMessage()).toMatch(/set PORT in the environment or in \.env/);
    expect(configError({ LLM_BASE_URL: 'not a url' }).variable).toBe('LLM_BASE_URL');
    expect(configError({ AO_MODE: 'cloud' }).variable).toBe('AO_MODE');
  });

  it('checks settings that depend on each other', () => {
    expect(configError({ AO_MODE: 'legacy', PRIVACY: 'public' }).variable).toBe('AO_MU_URL');
    expect(configError({ AO_MODE: 'legacy', PRIVACY: 'public', AO_MU_URL: 'http://127.0.0.1:1' }).variable).toBe('AO_CU_URL');
    // A public AO network is opt-in: private mode refuses it.
    expect(configError({ AO_MODE: 'mainnet', AO_MU_URL: 'http://127.0.0.1:1' }).variable).toBe('PRIVACY');
    expect(configError({ MEMORY_KEY: Buffer.alloc(16).toString('base64') }).variable).toBe('MEMORY_KEY');
    expect(loadConfig({ MEMORY_KEY: Buffer.alloc(32, 7).toString('base64') }).MEMORY_KEY).toBeDefined();
  });

  it('accepts only a webhook secret Telegram accepts', () => {
    expect(loadConfig({ TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123' }).TELEGRAM_WEBHOOK_SECRET).toBe('abc_DEF-123');
    expect(loadConfig({ TELEGRAM_WEBHOOK_SECRET: '' }).TELEGRAM_WEBHOOK_SECRET).toBeUndefined();
    for (const bad of ['with space', 'semi;colon', 'x'.repeat(257)]) expect(configError({ TELEGRAM_WEBHOOK_SECRET: bad }).variable).toBe('TELEGRAM_WEBHOOK_SECRET');
  });

  it('reads TRUST_PROXY as a list of proxy addresses and networks, none by default', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8,::1 ' }).TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    for (const bad of ['localhost', '10.0.0.0/33', '1.2.3.4/8/1', 'fd00::/129']) {
      const error = configError({ TRUST_PROXY: bad });
      expect(error.variable).toBe('TRUST_PROXY');
      expect(error.message).toMatch(/IP addresses or networks/);
    }
  });

  it('documents every setting in .env.example with its default', async () => {
    const example = parseDotEnv(await readFile(path.join(repoRoot, '.env.example'), 'utf8'));
    expect(Object.keys(example).sort()).toEqual(Object.keys(settings).sort());
    expect(example.PORT).toBe('3000');
    expect(example.DATA_DIR).toBe('./.permachat');
  });

  it('parses .env text', () => {
    expect(parseDotEnv('# c\nA=1\nB="two words"\n  C = x \nbad line')).toEqual({ A: '1', B: 'two words', C: 'x' });
  });
});
