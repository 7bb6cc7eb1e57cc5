import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../src/channels/cli/terminal-chat.js';
import { FORGET_ASKS, FORGET_DONE, RESET_DONE } from '../../../src/conversation/commands.js';
import { createFakeConversation } from '../../support/fake-conversation.js';

/** Runs the chat on these lines (as from a pipe) and returns all it printed. */
async function chat(lines: string[], conversation = createFakeConversation({ delayMs: 0 })) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const done = runTerminalChat({ conversation, userId: 'local-Ana', input, output });
  input.end(lines.map((line) => `${line}\n`).join(''));
  await done;
  return { printed, conversation };
}

describe('terminal chat', () => {
  it('uses the shared commands: /forget asks first, as in Telegram and the widget', async () => {
    const { printed, conversation } = await chat(['/forget', 'Ich heiße Ana 😊', '/forget confirm', '/reset', '/memory', '/exit', 'never read']);
    expect(printed).toContain(FORGET_ASKS);
    expect(printed).toContain('Eliza: You said: Ich heiße Ana 😊');
    expect(printed).toContain(FORGET_DONE);
    expect(printed).toContain(RESET_DONE);
    expect(printed).toContain('memory of cli:local-Ana');
    expect(conversation.calls).toEqual(['forget cli:local-Ana', 'reset cli:local-Ana', 'memory cli:local-Ana']);
    expect(conversation.turns.map((turn) => turn.text)).toEqual(['Ich heiße Ana 😊']);
  });

  it('lists its commands, /exit included, and sends unknown slash words to the model', async () => {
    const { printed, conversation } = await chat(['/help', '/shrug']);
    expect(printed).toMatch(/\/forget — make me forget/);
    expect(printed).toMatch(/\/exit — leave/);
    expect(conversation.turns.map((turn) => turn.text)).toEqual(['/shrug']);
  });
});
