/**
 * `permachat bench [--json] [--model <gguf>] [--quick] [--ao-messages N]`: benchmarks against
 * baselines in one run, on the real-shape test model (generated into DATA_DIR/models/test the
 * first time), or on the tiny one with --quick.
 */
import os from 'node:os';
import path from 'node:path';
import { formatBench, runBench } from '../../tools/bench/run-bench.js';
import { ensureRealShapeModel, QWEN3_1_7B } from '../../tools/test-model/real-shape-model.js';
import { InputError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { parseFlags } from '../args.js';
import { configFromIo } from '../context.js';
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
  const progress = (line: string) => io.stderr.write(`bench: ${line}\n`);
  const q = QWEN3_1_7B;
  // A model of the default one's shape makes the latency figures those of a real reply; --quick keeps to the tiny one.
  const model = values.model
    ? { modelPath: path.resolve(io.cwd, values.model), modelShape: 'given with --model' }
    : quick
      ? { modelShape: 'tiny test model: llama, 2 layers × 64, f32' }
      : {
          modelPath: await ensureRealShapeModel(configFromIo(io).dataDir, progress),
          modelShape: `real-shape test model: qwen3, ${q.layers} layers × ${q.embedding}, ${q.heads}/${q.kvHeads} heads of ${q.headDim}, FFN ${q.feedForward}, vocabulary ${q.vocabulary}, tied embeddings, Q4_0`,
        };
  const result = await runBench(
    {
      ...model,
      levels: quick ? [1, 4, 16] : [1, 4],
      startupConversations: quick ? 16 : 4,
      contextSize: quick ? 8192 : 4096,
      aoMessages,
      memoryTurns: quick ? 100 : 1000,
      // Enough for a decode rate; --quick only checks that every figure comes out.
      maxTokens: quick ? 16 : 32,
      scratchDir: path.join(os.tmpdir(), `permachat-bench-${process.pid}`),
      threads: os.availableParallelism(),
    },
    logger,
    progress,
  );
  print(io.stdout, values.json ? JSON.stringify(result) : formatBench(result));
  return 0;
};
