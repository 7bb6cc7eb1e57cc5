/**
 * `permachat start` (what `npm start` runs): the whole bot on the configured backends — web
 * widget and HTTP API, Telegram when a token is set, the AO processes, memory on Arweave.
 */
import { createRuntime } from '../../app/runtime.js';
import { startChannels } from '../../app/channels.js';
import { describeError } from '../../errors.js';
import { print, type Command } from '../io.js';
import { configFromIo, loggerFor } from '../context.js';

export const startCommand: Command = async (args, io) => {
  if (args.length > 0) print(io.stderr, `permachat start takes no arguments (ignored: ${args.join(' ')}); settings come from the environment or .env`);
  const started = performance.now();
  const config = configFromIo(io);
  const logger = loggerFor(config, io);
  const runtime = await createRuntime(config, logger, { cwd: io.cwd });
  let channels: Awaited<ReturnType<typeof startChannels>> | undefined;
  try {
    channels = await startChannels(runtime);
    const ms = Math.round(performance.now() - started);
    logger.info(`ready in ${ms} ms: ${channels.summary.join('; ')}`);
    print(io.stdout, `permachat is ready: ${channels.url}`);
    const signal = await io.stopSignal;
    logger.info(`${signal}: shutting down (pending memory writes are kept in the outbox)`);
    return 0;
  } catch (error) {
    logger.error(describeError(error));
    throw error;
  } finally {
    await channels?.stop();
    await runtime.close();
  }
};
