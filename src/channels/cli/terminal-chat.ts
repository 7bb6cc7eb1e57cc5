/**
 * The terminal channel: an interactive chat on a TTY (or lines from a pipe), replies streamed
 * as they are generated. Its slash commands are every channel's (conversation/commands.ts),
 * plus /exit.
 */
import readline from 'node:readline';
import { createCommands, parseCommand } from '../../conversation/commands.js';
import type { ConversationPort } from '../../conversation/types.js';
import { describeError } from '../../errors.js';

export interface TerminalChatOptions {
  conversation: ConversationPort;
  userId: string;
  character?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Stops the loop (e.g. on SIGINT). */
  signal?: AbortSignal;
}

export async function runTerminalChat(opts: TerminalChatOptions): Promise<void> {
  const { conversation, output } = opts;
  const name = conversation.listCharacters().find((c) => !opts.character || c.name.toLowerCase() === opts.character.toLowerCase())?.name ?? 'bot';
  const commands = createCommands({ conversation, channel: 'cli', channelHelp: ['/help — these lines', '/exit — leave (Ctrl-D too)'] });
  const write = (text: string) => output.write(text);
  const rl = readline.createInterface({ input: opts.input, output, terminal: Boolean((opts.input as { isTTY?: boolean }).isTTY) });
  opts.signal?.addEventListener('abort', () => rl.close(), { once: true });

  write(`${name}: ${conversation.greeting(opts.character)}\n${commands.help}\n`);
  const prompt = () => write('you> ');
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (!text) {
      prompt();
      continue;
    }
    if (text === '/exit' || text === '/quit') break;
    try {
      const command = parseCommand(text);
      const answered = command ? await commands.run(command, opts.userId, opts.character) : undefined;
      if (answered) write(`${answered.text}\n`);
      else {
        write(`${name}: `);
        await conversation.handleTurn({
          channel: 'cli',
          userId: opts.userId,
          text,
          ...(opts.character ? { character: opts.character } : {}),
          onToken: (token) => write(token),
        });
        write('\n');
      }
    } catch (error) {
      write(`\n(error: ${describeError(error)})\n`);
    }
    prompt();
  }
  rl.close();
}
