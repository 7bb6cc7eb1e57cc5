/** `permachat make-test-model <out.gguf>`: the tiny deterministic model tests load for real. */
import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeTestModel } from '../../inference/test-model.js';
import { print, type Command } from '../io.js';

export const makeTestModelCommand: Command = async (args, io) => {
  const [out, ...extra] = args;
  if (!out || extra.length > 0) throw new InputError('expected one output path', { hint: 'usage: permachat make-test-model <out.gguf>' });
  const file = path.resolve(io.cwd, out);
  await writeTestModel(file);
  print(io.stdout, file);
  return 0;
};
