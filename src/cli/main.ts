#!/usr/bin/env node
/**
 * The `permachat` command. Each sub-command lives in its own file and is loaded on demand,
 * so `permachat check` does not pay for loading the model runtime.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeError } from '../errors.js';
import { print, type CliIo, type Command } from './io.js';

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  bench: { summary: 'benchmarks against baselines in the same run [--json] [--model <gguf>] [--quick] [--ao-messages <n>]', load: async () => (await import('./commands/bench.js')).benchCommand },
  start: { summary: 'run the bot: web widget + HTTP API, Telegram (if configured), embedded AO node and Arweave', load: async () => (await import('./commands/start.js')).startCommand },
  chat: { summary: 'chat in the terminal: [--character <file|name>] [--user <id>] [--message <text>] [--json]', load: async () => (await import('./commands/chat.js')).chatCommand },
  check: { summary: 'validate character files: check <file>...', load: async () => (await import('./commands/check.js')).checkCommand },
  'make-test-model': { summary: 'write a deterministic GGUF test model: make-test-model [<out.gguf>] [--size tiny|bench|real]', load: async () => (await import('./commands/make-test-model.js')).makeTestModelCommand },
  'ao-node': { summary: 'run the embedded AO node alone and print its URLs and process ids', load: async () => (await import('./commands/ao-node.js')).aoNodeCommand },
  deploy: { summary: 'publish the AO modules and spawn the three processes on the configured AO network', load: async () => (await import('./commands/deploy.js')).deployCommand },
  eval: { summary: 'measure Understanding and Sentiment against other libraries [--json] [--markdown]; eval memory --dataset <file.json>...: memory recall on LoCoMo-format conversations', load: async () => (await import('./commands/eval.js')).evalCommand },
  memory: { summary: 'memory export|rebuild|stats --user <channel:id>: print one user\'s memory as JSON, read their local cache again from Arweave, or count it', load: async () => (await import('./commands/memory.js')).memoryCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'usage: permachat <command> [options]',
    '',
    ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Settings come from the environment or .env (see .env.example).',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(name ? io.stdout : io.stderr, usage());
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    print(io.stderr, `permachat: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (error) {
    print(io.stderr, `permachat ${name}: ${describeError(error)}`);
    if (io.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) print(io.stderr, error.stack);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const stopSignal = new Promise<string>((resolve) => {
    let received: string | undefined;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      // `on`, not `once`: signal-exit (loaded by node-llama-cpp's lockfiles) raises a signal again
      // when no other listener is left, which killed the process in the middle of its shutdown
      // (memory outbox, AO log, gateway). A second signal stops at once.
      process.on(signal, () => {
        if (received) process.exit(signal === 'SIGINT' ? 130 : 143);
        received = signal;
        resolve(signal);
      });
    }
  });
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    stopSignal,
  });
  process.exitCode = code;
  // Native handles (model threads, sqlite) can keep the loop alive once a command is done.
  setTimeout(() => process.exit(code), 300).unref();
}
