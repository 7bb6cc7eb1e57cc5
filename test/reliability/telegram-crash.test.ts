// Kill -9 the service after it accepted a Telegram message and remembered the turn, but before
// the answer reached the chat: the next start answers it, and memory holds that turn once.
import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { allFiles } from '../support/files.js';
import { runCli } from '../support/run-cli.js';
import { serviceEntry, startService, tinyServiceEnv } from '../support/service-process.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';
import { skipWhenMissing } from '../support/prerequisite.js';

const until = async (check: () => boolean, what: string, timeoutMs = 60_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe.skipIf(skipWhenMissing(existsSync(serviceEntry), 'dist/ (npm run build)'))('crash safety on Telegram (kill -9 between remembering and answering)', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let stub: TelegramStub;
  let env: NodeJS.ProcessEnv;
  const log: string[] = [];
  beforeAll(async () => {
    tmp = await makeTmpDir('tg-crash');
    stub = await startTelegramStub();
    const model = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(model);
    env = { ...tinyServiceEnv({ dir: tmp.dir, model, keyByte: 0x31, logLevel: 'info' }), TELEGRAM_BOT_TOKEN: stub.token, TELEGRAM_API_ROOT: stub.apiRoot };
  });
  afterAll(async () => {
    await stub?.close();
    await tmp?.remove();
  });

  it('answers the message after the restart and remembers it exactly once', { timeout: 180_000 }, async () => {
    // Nothing reaches the chat in the first run: each send of a message is told to retry in a
    // minute (drafts, shown while the reply streams, are not messages of the chat).
    stub.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 60', retryAfter: 60 }, 50);
    const first = await startService(env, log);
    stub.pushMessage({ chatId: 77, fromId: 77, text: 'please remember the blue boat' });
    // The final send comes after the turn is remembered (durably, in the outbox).
    await until(() => stub.callsOf('sendMessage').some((call) => call.params.chat_id === 77), 'the first attempt to send the answer');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(stub.chatTexts(77)).toEqual([]);
    // What the crash left on disk (inbox, outbox, AO journal, the embedded Arweave) is ciphertext.
    const left = await allFiles(path.join(tmp.dir, 'data'));
    expect(left.some((file) => file.includes(`${path.sep}telegram${path.sep}inbox${path.sep}`))).toBe(true);
    for (const file of left) expect(await readFile(file, 'latin1'), file).not.toContain('blue boat');

    stub.clearFailures('sendMessage');
    const second = await startService(env, log);
    try {
      await until(() => stub.chatTexts(77).length > 0, 'the answer after the restart');
      const context = log.join('').slice(-3000);
      expect(context).toContain('answering 1 message(s) accepted before the last stop');
      expect(context).toMatch(/was answered before \(77:\d+\); repeating its reply/);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }

    // Memory, read from Arweave alone: the turn once.
    const fresh = path.join(tmp.dir, 'fresh');
    await cp(path.join(tmp.dir, 'data', 'arweave'), path.join(fresh, 'arweave'), { recursive: true });
    const exported = await runCli(['memory', 'export', '--user', 'telegram:77'], { env: { ...env, DATA_DIR: fresh } as Record<string, string>, cwd: repoRoot });
    expect(exported.code, exported.stderr).toBe(0);
    const turns = (JSON.parse(exported.stdout) as { records: Array<{ kind: string; userText?: string }> }).records.filter((r) => r.kind === 'turn');
    expect(turns.map((t) => t.userText)).toEqual(['please remember the blue boat']);
  });
});
