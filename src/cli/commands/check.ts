/** `permachat check <file>...`: validate character files; exit 1 when any is invalid. */
import path from 'node:path';
import { checkCharacterFiles } from '../../character/check.js';
import { InputError } from '../../errors.js';
import { pluginExists } from '../../plugin-host/load-plugins.js';
import { print, type Command } from '../io.js';

export const checkCommand: Command = async (args, io) => {
  if (args.length === 0) throw new InputError('no files given', { hint: 'usage: permachat check <file>...' });
  const files = args.map((file) => (path.isAbsolute(file) ? file : path.relative(io.cwd, path.resolve(io.cwd, file)) || file));
  const absolute = new Map(files.map((file) => [file, path.resolve(io.cwd, file)]));
  const result = await checkCharacterFiles(files.map((file) => absolute.get(file) ?? file), { pluginExists });
  // Report paths as the user typed them.
  for (const line of result.lines) {
    let shown = line;
    for (const [typed, full] of absolute) if (line.startsWith(`${full}: `)) shown = `${typed}${line.slice(full.length)}`;
    print(io.stdout, shown);
  }
  return result.ok ? 0 : 1;
};
