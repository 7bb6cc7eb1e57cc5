/**
 * The slash commands every channel offers, written once: what each does and what it answers.
 * A channel only delivers the answer (Telegram, say, sends /memory privately when asked in a
 * group) and adds its own (/exit in the terminal). The web widget calls the same operations
 * through its API (`POST /api/reset`, `POST /api/forget` with `"confirm": true`).
 */
import type { ChannelName, ConversationPort } from './types.js';

export type CommandName = 'start' | 'help' | 'reset' | 'forget' | 'memory';

/** The commands, as a channel lists them to people (Telegram's command menu, /help). */
export const COMMANDS: ReadonlyArray<{ command: CommandName; description: string }> = [
  { command: 'start', description: 'greeting and help' },
  { command: 'reset', description: 'start a new conversation (I still remember you)' },
  { command: 'forget', description: 'make me forget everything you told me' },
  { command: 'memory', description: 'what I remember about you' },
  { command: 'help', description: 'what I can do' },
];

export const FORGET_ASKS = 'This makes me forget everything you have told me, for good. Send "/forget confirm" to go ahead.';
export const FORGET_DONE = 'Done. I will not recall anything you told me before now.';
export const RESET_DONE = 'New conversation started. I still remember you; /forget makes me forget.';

export interface ParsedCommand {
  name: string;
  /** What follows the command, trimmed ("confirm" in "/forget confirm"). */
  args: string;
  /** The bot named in `/memory@permachat_bot` (Telegram groups), if any. */
  bot?: string;
}

/** `/name`, `/name args` or `/name@bot args`; undefined for anything else. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, name = '', bot, args = ''] = match;
  return { name: name.toLowerCase(), args: args.trim(), ...(bot ? { bot } : {}) };
}

const isCommand = (name: string): name is CommandName => COMMANDS.some((entry) => entry.command === name);

export interface CommandAnswer {
  command: CommandName;
  text: string;
}

export interface CommandsDeps {
  conversation: ConversationPort;
  channel: ChannelName;
  /** Lines of the channel's own commands, added to /help (e.g. "/exit — leave"). */
  channelHelp?: string[];
}

export function createCommands(deps: CommandsDeps) {
  const { conversation, channel } = deps;
  const help = [
    'Talk to me like to a person; I remember you across conversations (encrypted, only for you).',
    ...COMMANDS.filter((entry) => entry.command !== 'start' && entry.command !== 'help').map((entry) => `/${entry.command} — ${entry.description}`),
    ...(deps.channelHelp ?? []),
  ].join('\n');

  async function answer(command: CommandName, args: string, userId: string, character: string | undefined): Promise<string> {
    switch (command) {
      case 'start':
        return `${conversation.greeting(character)}\n\n${help}`;
      case 'help':
        return help;
      case 'reset':
        await conversation.reset(channel, userId);
        return RESET_DONE;
      case 'forget':
        // It cannot be undone, so it is asked for twice, in every channel (the widget asks too).
        if (!/\bconfirm\b/i.test(args)) return FORGET_ASKS;
        await conversation.forget(channel, userId);
        return FORGET_DONE;
      case 'memory':
        return conversation.describeMemory(channel, userId);
    }
  }

  return {
    help,
    /** Runs one of the shared commands for `userId`; undefined when `name` is none of them. */
    async run(command: { name: string; args: string }, userId: string, character?: string): Promise<CommandAnswer | undefined> {
      if (!isCommand(command.name)) return undefined;
      return { command: command.name, text: await answer(command.name, command.args, userId, character) };
    },
  };
}

export type Commands = ReturnType<typeof createCommands>;
