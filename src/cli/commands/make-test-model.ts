/**
 * `permachat make-test-model [<out.gguf>] [--size tiny|bench|real]`: a deterministic model that
 * loads for real — `tiny` for tests, `bench` (larger) for throughput, `real` (the default
 * model's shape, about 1 GB) for latency. `real` goes to DATA_DIR/models/test unless a path is given.
 */
import path from 'node:path';
import { InputError } from '../../errors.js';
import { ensureRealShapeModel, writeRealShapeModel } from '../../tools/test-model/real-shape-model.js';
import { MODEL_SHAPES, writeTestModel, type ModelSize } from '../../tools/test-model/test-model.js';
import { parseFlags } from '../args.js';
import { configFromIo } from '../context.js';
import { print, type Command } from '../io.js';

const USAGE = 'permachat make-test-model [<out.gguf>] [--size tiny|bench|real]';
const SIZES = [...Object.keys(MODEL_SHAPES), 'real'];
const isSize = (value: string): value is ModelSize => Object.hasOwn(MODEL_SHAPES, value);

export const makeTestModelCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(args, { size: { type: 'string' } }, USAGE);
  const [out, ...extra] = positionals;
  const size = values.size ?? 'tiny';
  if (size !== 'real' && !isSize(size)) throw new InputError(`unknown model size "${size}"`, { hint: `use one of: ${SIZES.join(', ')}` });
  if (extra.length > 0 || (!out && size !== 'real')) throw new InputError('expected one output path', { hint: `usage: ${USAGE}` });
  const log = (line: string) => io.stderr.write(`${line}\n`);
  if (size === 'real') {
    if (!out) {
      print(io.stdout, await ensureRealShapeModel(configFromIo(io).dataDir, log));
      return 0;
    }
    const file = path.resolve(io.cwd, out);
    const started = performance.now();
    const { bytes } = await writeRealShapeModel(file);
    log(`wrote ${(bytes / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    print(io.stdout, file);
    return 0;
  }
  const file = path.resolve(io.cwd, out ?? '');
  await writeTestModel(file, size);
  print(io.stdout, file);
  return 0;
};
