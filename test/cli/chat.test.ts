import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { allFiles } from '../support/files.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';


describe('permachat chat (real model path, real memory on arlocal)', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    tmp = await makeTmpDir('chat');
    const model = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(model);
    env = { MODEL_PATH: model, DATA_DIR: path.join(tmp.dir, 'data'), LLM_THREADS: '1', LLM_CONTEXT_SIZE: '2048', LLM_MAX_TOKENS: '16', LLM_SEQUENCES: '1' };
  });
  afterAll(async () => tmp?.remove());

  it('answers once with --message --json from the tiny model', async () => {
    const run = await runCli(['chat', '--message', 'hi', '--json'], { env, cwd: repoRoot });
    expect(run.stderr).not.toMatch(/Error|error/);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      reply: string; character: string; turnId: string; memory: { written: string[] }; model: string;
      understanding: { intent: string }; sentiment: { label: string }; ao: Record<string, string>;
    };
    // The turn went through the three AO processes.
    expect(result.understanding.intent).toBe('greeting');
    expect(result.sentiment.label).toBe('neutral');
    expect(Object.keys(result.ao).sort()).toEqual(['generation', 'inferenceResult', 'sentiment', 'understanding']);
    expect(result.character).toBe('Eliza');
    expect(typeof result.reply).toBe('string');
    expect(result.turnId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.model).toBe('llama-cpp:tiny.gguf');
    expect(result.memory.written).toHaveLength(1);
  });

  it('remembers a user across a lost DATA_DIR (only arweave/ and memory.key kept), keeps users apart, stores no plaintext', async () => {
    const dataDir = env.DATA_DIR as string;
    const told = await runCli(['chat', '--user', 'cli:alice', '--message', 'my name is Alice and I love sailing'], { env, cwd: repoRoot });
    expect(told.code).toBe(0);
    for (const entry of await readdir(dataDir)) {
      if (entry !== 'arweave' && entry !== 'memory.key') await rm(path.join(dataDir, entry), { recursive: true, force: true });
    }
    const asked = await runCli(['chat', '--user', 'cli:alice', '--message', 'what do I love?', '--json'], { env, cwd: repoRoot });
    expect(asked.code).toBe(0);
    const alice = JSON.parse(asked.stdout) as { memory: { recalled: string[] } };
    expect(alice.memory.recalled.join('\n')).toContain('I love sailing');
    const bobRun = await runCli(['chat', '--user', 'cli:bob', '--message', 'what do I love?', '--json'], { env, cwd: repoRoot });
    const bob = JSON.parse(bobRun.stdout) as { memory: { recalled: string[] } };
    expect(bob.memory.recalled.join('\n')).not.toMatch(/sailing|Alice/);
    for (const file of await allFiles(dataDir)) {
      expect(await readFile(file, 'latin1'), file).not.toContain('sailing');
    }
  });

  it("answers with the passages of the character's knowledge files that the message is about", async () => {
    const dir = path.join(tmp.dir, 'keeper');
    await mkdir(path.join(dir, 'kb'), { recursive: true });
    await writeFile(path.join(dir, 'kb', 'tides.md'), '# Tides\n\nSpring tides at Skerry Point reach 5.2 metres.\n\n# Lamp\n\nThe lamp is a Fresnel lens turned by clockwork.');
    await writeFile(path.join(dir, 'keeper.json'), JSON.stringify({ name: 'Keeper', bio: ['keeps the light'], knowledge: [{ directory: 'kb' }] }));
    const run = await runCli(['chat', '--character', path.join(dir, 'keeper.json'), '--message', 'how high are the spring tides?', '--json'], { env, cwd: repoRoot });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { character: string; knowledge: string[] };
    expect(result.character).toBe('Keeper');
    // Each heading starts a passage: only the one about tides is put in the prompt.
    expect(result.knowledge).toEqual(['Tides: Spring tides at Skerry Point reach 5.2 metres.']);
  });

  it('says what to do when no model can be had, without a stack trace', async () => {
    const run = await runCli(['chat', '--message', 'hi'], { env: { ...env, MODEL_PATH: path.join(tmp.dir, 'missing.gguf') }, cwd: repoRoot });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/MODEL_PATH=.*missing\.gguf: no such file/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
