/** Bounds a plugin call in time: a plugin that hangs must not hold the turn. */
import { PermachatError } from '../errors.js';

export class PluginError extends PermachatError {
  constructor(readonly plugin: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('PLUGIN', `plugin ${plugin}: ${message}`, options);
  }
}

export async function withTimeout<T>(plugin: string, what: string, ms: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginError(plugin, `${what} took longer than ${ms} ms`, { hint: 'the turn went on without it' })), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
