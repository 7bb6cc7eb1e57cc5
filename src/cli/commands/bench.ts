/** `permachat bench [--json] [--model <gguf>] [--quick]`: benchmarks against baselines in one run. */
import os from 'node:os';
import path from 'node:path';
import { formatBench, runBench } from '../../bench/run-bench.js';
import { createLogger } from '../../logger.js';
import { parseFlags } from '../args.js';
import { print, type Command } from '../io.js';

export const benchCommand: Command = async (args, io) => {
  const { values } = parseFlags(args, { json: { type: 'boolean' }, model: { type: 'string' }, quick: { type: 'boolean' } }, 'permachat bench [--json] [--model <file.gguf>] [--quick]');
  const quick = Boolean(values.quick);
  const logger = createLogger({ level: 'error', write: (line) => io.stderr.write(`${line}\n`) });
  const result = await runBench(
    {
      ...(values.model ? { modelPath: path.resolve(io.cwd, values.model) } : {}),
      // The larger generated model makes batching measurable; --quick keeps to the tiny one.
      size: quick ? 'tiny' : 'bench',
      turns: quick ? 3 : 10,
      aoMessages: quick ? 20 : 200,
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
