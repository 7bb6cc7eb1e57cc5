/**
 * `permachat chat`: talk to the bot in the terminal. With --message it answers once and exits;
 * --json prints one object with the reply and what the turn did (analysis, AO ids, memory).
 */
import { runTerminalChat } from '../../channels/cli/terminal-chat.js';
import { createRuntime } from '../../app/runtime.js';
import { parseFlags } from '../args.js';
import { print, type Command } from '../io.js';
import { configFromIo, loggerFor } from '../context.js';
import { readUserKey, userKeyOf } from '../../conversation/user-key.js';

const usage = 'permachat chat [--character <file|name>] [--user <id>] [--message <text>] [--json]';

export const chatCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(
    args,
    { character: { type: 'string' }, user: { type: 'string' }, message: { type: 'string' }, json: { type: 'boolean' } },
    usage,
  );
  const message = values.message ?? (positionals.length > 0 ? positionals.join(' ') : undefined);
  const config = configFromIo(io, values.character ? { CHARACTER: values.character } : {});
  const logger = loggerFor(config, io);
  // "--user alice" means the terminal user alice; "--user telegram:42" names another channel's user.
  const user = values.user ?? 'local';
  const { channel, id: userId } = readUserKey(user) ?? { channel: 'cli' as const, id: user };
  const runtime = await createRuntime(config, logger, { cwd: io.cwd });
  try {
    if (message === undefined) {
      const controller = new AbortController();
      void io.stopSignal.then(() => controller.abort());
      await runTerminalChat({ conversation: runtime.conversation, userId, input: io.stdin, output: io.stdout, signal: controller.signal });
      return 0;
    }
    const streamToTerminal = !values.json;
    const result = await runtime.conversation.handleTurn({
      channel,
      userId,
      text: message,
      ...(streamToTerminal ? { onToken: (token: string) => io.stdout.write(token) } : {}),
    });
    if (values.json) {
      print(io.stdout, JSON.stringify({ ...result, user: userKeyOf(channel, userId), model: runtime.model.id }));
    } else {
      io.stdout.write('\n');
    }
    return 0;
  } finally {
    await runtime.close();
  }
};
