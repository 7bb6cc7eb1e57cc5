/**
 * `permachat make-test-model <out.gguf> [--size tiny|bench]`: a deterministic model that loads
 * for real — `tiny` for tests, `bench` (larger) for benchmarks.
 */
import path from 'node:path';
import { InputError } from '../../errors.js';
import { MODEL_SHAPES, writeTestModel, type ModelSize } from '../../inference/test-model.js';
import { parseFlags } from '../args.js';
import { print, type Command } from '../io.js';

const USAGE = 'permachat make-test-model <out.gguf> [--size tiny|bench]';
const isSize = (value: string): value is ModelSize => Object.hasOwn(MODEL_SHAPES, value);

export const makeTestModelCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(args, { size: { type: 'string' } }, USAGE);
  const [out, ...extra] = positionals;
  if (!out || extra.length > 0) throw new InputError('expected one output path', { hint: `usage: ${USAGE}` });
  const size = values.size ?? 'tiny';
  if (!isSize(size)) throw new InputError(`unknown model size "${size}"`, { hint: `use one of: ${Object.keys(MODEL_SHAPES).join(', ')}` });
  const file = path.resolve(io.cwd, out);
  await writeTestModel(file, size);
  print(io.stdout, file);
  return 0;
};
