/** Configuration and logging for a command, from its environment (and .env in its folder). */
import { environmentWithDotEnv, loadConfig, type Config, type SettingName } from '../config/config.js';
import { createLogger, type Logger } from '../logger.js';
import type { CliIo } from './io.js';

export function configFromIo(io: CliIo, overrides: Partial<Record<SettingName, string>> = {}): Config {
  return loadConfig(environmentWithDotEnv(io.env, io.cwd), overrides, io.cwd);
}

export function loggerFor(config: Config, io: CliIo): Logger {
  const secrets = [config.MEMORY_KEY, config.TELEGRAM_BOT_TOKEN, config.LLM_API_KEY].filter((s): s is string => Boolean(s));
  return createLogger({ level: config.LOG_LEVEL, write: (line) => io.stderr.write(`${line}\n`), secrets });
}
