/** `permachat bench [--json] [--model <gguf>] [--quick] [--ao-messages N]`: benchmarks against baselines in one run. */
import os from 'node:os';
import path from 'node:path';
import { formatBench, runBench } from '../../bench/run-bench.js';
import { InputError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { parseFlags } from '../args.js';
import { print, type Command } from '../io.js';

export const benchCommand: Command = async (args, io) => {
  const usage = 'permachat bench [--json] [--model <file.gguf>] [--quick] [--ao-messages <n>]';
  const { values } = parseFlags(args, { json: { type: 'boolean' }, model: { type: 'string' }, quick: { type: 'boolean' }, 'ao-messages': { type: 'string' } }, usage);
  const quick = Boolean(values.quick);
  // How long an AO history the evaluation and restart figures use (restart time grows with it).
  const aoMessages = values['ao-messages'] === undefined ? (quick ? 20 : 200) : Number(values['ao-messages']);
  if (!Number.isInteger(aoMessages) || aoMessages < 1 || aoMessages > 100_000) {
    throw new InputError(`--ao-messages must be a whole number from 1 to 100000, not "${values['ao-messages']}"`, { hint: usage });
  }
  const logger = createLogger({ level: 'error', write: (line) => io.stderr.write(`${line}\n`) });
  const result = await runBench(
    {
      ...(values.model ? { modelPath: path.resolve(io.cwd, values.model) } : {}),
      // The larger generated model makes batching measurable; --quick keeps to the tiny one.
      size: quick ? 'tiny' : 'bench',
      turns: quick ? 3 : 10,
      aoMessages,
      memoryTurns: quick ? 100 : 1000,
      maxTokens: 32,
      scratchDir: path.join(os.tmpdir(), `permachat-bench-${process.pid}`),
      threads: os.availableParallelism(),
    },
    logger,
    (line) => io.stderr.write(`bench: ${line}\n`),
  );
  print(io.stdout, values.json ? JSON.stringify(result) : formatBench(result));
  return 0;
};
