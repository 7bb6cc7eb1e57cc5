/**
 * Logs go to stderr so stdout stays clean for `--json` and the terminal chat.
 * Secrets are scrubbed from every line as a last line of defence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(scope: string): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LoggerOptions {
  level: LogLevel;
  write?: (line: string) => void;
  /** Values that must never appear in a log line (keys, tokens). */
  secrets?: string[];
  scope?: string;
}

export function createLogger(opts: LoggerOptions): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = (opts.secrets ?? []).filter((secret) => secret.length >= 6);
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const emit = (level: LogLevel, message: string) => {
    if (order[level] < order[opts.level]) return;
    const scope = opts.scope ? ` [${opts.scope}]` : '';
    write(scrub(`${new Date().toISOString()} ${level.toUpperCase()}${scope} ${message}`));
  };
  return {
    debug: (message) => emit('debug', message),
    info: (message) => emit('info', message),
    warn: (message) => emit('warn', message),
    error: (message) => emit('error', message),
    child: (scope) => createLogger({ ...opts, write, scope: opts.scope ? `${opts.scope}:${scope}` : scope }),
  };
}

/** A logger that keeps lines in memory: for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  return Object.assign(logger, { lines });
}
