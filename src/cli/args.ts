/** Flag parsing with errors that say what was expected. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.js';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error), { hint: `usage: ${usage}` });
  }
}
