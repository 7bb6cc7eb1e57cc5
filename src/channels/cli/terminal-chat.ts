/**
 * The terminal channel: an interactive chat on a TTY (or lines from a pipe), replies streamed
 * as they are generated. Slash commands mirror the Telegram bot's.
 */
import readline from 'node:readline';
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

const help = [
  'Commands: /reset (new conversation)  /forget (forget everything about you)  /memory (what I remember)  /help  /exit',
].join('\n');

export async function runTerminalChat(opts: TerminalChatOptions): Promise<void> {
  const { conversation, output } = opts;
  const name = conversation.listCharacters().find((c) => !opts.character || c.name.toLowerCase() === opts.character.toLowerCase())?.name ?? 'bot';
  const write = (text: string) => output.write(text);
  const rl = readline.createInterface({ input: opts.input, output, terminal: Boolean((opts.input as { isTTY?: boolean }).isTTY) });
  opts.signal?.addEventListener('abort', () => rl.close(), { once: true });

  write(`${name}: ${conversation.greeting(opts.character)}\n${help}\n`);
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
      if (text === '/help') write(`${help}\n`);
      else if (text === '/reset') {
        await conversation.reset('cli', opts.userId);
        write('(new conversation started; I still remember you)\n');
      } else if (text === '/forget') {
        await conversation.forget('cli', opts.userId);
        write('(done: I will not recall anything you said before now)\n');
      } else if (text === '/memory') write(`${await conversation.describeMemory('cli', opts.userId)}\n`);
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
