// No secret (memory key, wallet, tokens) in logs, errors or anything written to Arweave.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/runtime.js';
import { describeError } from '../../src/errors.js';
import { startTinyRuntime, type TinyRuntime } from '../support/tiny-runtime.js';

describe('secrets stay secret', () => {
  let service: TinyRuntime;
  let runtime: Runtime;
  const lines: string[] = [];
  const memoryKey = Buffer.alloc(32, 0x5a).toString('base64');
  const telegramToken = '987654321:AAFakeTokenForTheSecretsTest_xyz';
  const apiKey = 'sk-secret-api-key-0123456789';

  beforeAll(async () => {
    service = await startTinyRuntime({
      name: 'secrets', keyByte: 0x5a,
      env: { LLM_MAX_TOKENS: '8', LLM_SEQUENCES: '1', TELEGRAM_BOT_TOKEN: telegramToken, LLM_API_KEY: apiKey, LOG_LEVEL: 'debug' },
      log: { level: 'debug', write: (line) => lines.push(line), secrets: [memoryKey, telegramToken, apiKey] },
    });
    runtime = service.runtime;
  });
  afterAll(async () => {
    await service?.close();
  });

  it('never logs, reports or stores the memory key, the wallet or the tokens', async () => {
    await runtime.conversation.handleTurn({ channel: 'cli', userId: 'secret-test', text: `here is a key-looking string: ${memoryKey.slice(0, 10)}` });
    // An error path too: a bad character name.
    const error = await runtime.conversation.handleTurn({ channel: 'cli', userId: 'x', text: 'hi', character: 'nobody' }).catch((e: unknown) => e);
    const errorText = describeError(error);
    await runtime.memory.flush(10_000);
    await runtime.ao?.node?.flush();

    const wallet = JSON.parse(await readFile(path.join(service.dir, 'data', 'wallet.json'), 'utf8')) as { d: string; p: string };
    const nodeWallet = JSON.parse(await readFile(path.join(service.dir, 'data', 'ao', 'node-wallet.json'), 'utf8')) as { d: string };
    const keyBytes = Buffer.from(memoryKey, 'base64');
    const needles = [memoryKey, telegramToken, apiKey, wallet.d, wallet.p, nodeWallet.d, keyBytes.toString('latin1'), keyBytes.toString('hex')];

    const logText = lines.join('\n');
    for (const needle of needles) {
      expect(logText.includes(needle)).toBe(false);
      expect(errorText.includes(needle)).toBe(false);
    }
    const all = await runtime.arweave.queryAll({ tags: [] });
    expect(all.length).toBeGreaterThan(3);
    for (const item of all) {
      const data = Buffer.from(await runtime.arweave.getData(item.id)).toString('latin1');
      const tags = JSON.stringify(item.tags);
      for (const needle of needles) {
        expect(data.includes(needle), `tx ${item.id}`).toBe(false);
        expect(tags.includes(needle)).toBe(false);
      }
    }
    // Local state other than the key and wallet files holds no secret either.
    const files = (await readdir(path.join(service.dir, 'data'), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !['memory.key', 'wallet.json', 'node-wallet.json', 'db.sqlite'].includes(entry.name))
      .map((entry) => path.join(entry.parentPath, entry.name));
    for (const file of files) {
      const content = await readFile(file, 'latin1');
      for (const needle of [telegramToken, apiKey, memoryKey, wallet.d]) expect(content.includes(needle), file).toBe(false);
    }
  });
});
