import { describe, expect, it } from 'vitest';
import { COMMANDS, createCommands, FORGET_ASKS, FORGET_DONE, parseCommand, RESET_DONE } from '../../src/conversation/commands.js';
import { createFakeConversation } from '../support/fake-conversation.js';

describe('slash commands shared by every channel', () => {
  it('parses /name, /name args and /name@bot, and nothing else', () => {
    expect(parseCommand('/forget confirm')).toEqual({ name: 'forget', args: 'confirm' });
    expect(parseCommand('  /Memory@permachat_bot  ')).toEqual({ name: 'memory', args: '', bot: 'permachat_bot' });
    expect(parseCommand('/reset bitte, jetzt 🙏')).toEqual({ name: 'reset', args: 'bitte, jetzt 🙏' });
    expect(parseCommand('and/or')).toBeUndefined();
    expect(parseCommand('/ hello')).toBeUndefined();
    expect(parseCommand('/usr/bin/env node')).toBeUndefined();
  });

  it('asks before forgetting, and forgets on "/forget confirm" only', async () => {
    const conversation = createFakeConversation();
    const commands = createCommands({ conversation, channel: 'telegram' });
    expect(await commands.run({ name: 'forget', args: '' }, '4242')).toEqual({ command: 'forget', text: FORGET_ASKS });
    expect(await commands.run({ name: 'forget', args: 'please' }, '4242')).toEqual({ command: 'forget', text: FORGET_ASKS });
    expect(conversation.calls).toEqual([]);
    expect(await commands.run({ name: 'forget', args: 'CONFIRM' }, '4242')).toEqual({ command: 'forget', text: FORGET_DONE });
    expect(conversation.calls).toEqual(['forget telegram:4242']);
  });

  it('resets, describes the memory, greets as the chosen character, and passes on what is not a command', async () => {
    const conversation = createFakeConversation();
    const commands = createCommands({ conversation, channel: 'cli', channelHelp: ['/exit — leave'] });
    expect((await commands.run({ name: 'reset', args: '' }, 'amélie'))?.text).toBe(RESET_DONE);
    expect((await commands.run({ name: 'memory', args: '' }, 'amélie'))?.text).toBe('memory of cli:amélie');
    expect(conversation.calls).toEqual(['reset cli:amélie', 'memory cli:amélie']);
    const start = await commands.run({ name: 'start', args: '' }, 'amélie', 'Marlowe');
    expect(start?.text).toMatch(/^Hi, I'm Marlowe\.\n\n/);
    expect(start?.text).toContain('/exit — leave');
    expect((await commands.run({ name: 'help', args: '' }, 'amélie'))?.text).toBe(commands.help);
    expect(await commands.run({ name: 'weather', args: 'Zürich' }, 'amélie')).toBeUndefined();
    for (const { command } of COMMANDS.filter((entry) => entry.command !== 'start' && entry.command !== 'help')) expect(commands.help).toContain(`/${command} — `);
  });
});
