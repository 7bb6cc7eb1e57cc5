import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCharacterFile } from '../../src/character/load.js';
import { buildPrompt, buildStablePrompt, fillPlaceholders } from '../../src/prompt/build-prompt.js';
import { repoRoot } from '../support/tmp-dir.js';

const character = await loadCharacterFile(path.join(repoRoot, 'characters', 'captain-mara.json'), { pluginExists: () => true });

describe('prompt building', () => {
  const input = {
    character,
    userText: 'should I reef now?',
    recent: [{ role: 'user' as const, text: 'hi captain' }, { role: 'assistant' as const, text: 'Ahoy.' }],
    recalled: ['Earlier: my boat is a 22-foot sloop'],
    facts: ['the user is called Alice'],
    plan: { tone: 'calm', length: 'short' as const, acknowledge: ['the user sounds worried'] },
    context: ['Current date and time: It is 10:00'],
    seed: 'turn-1',
  };

  it('puts the character first, then the conversation, then this turn\'s memory, then its plan and context, then the message', () => {
    const messages = buildPrompt(input);
    const system = messages[0]?.content ?? '';
    expect(messages[0]?.role).toBe('system');
    expect(system).toContain('You are Captain Mara');
    expect(system).toMatch(/Captain Mara has sailed for thirty years|Captain Mara has taught|Captain Mara believes|Captain Mara speaks|Captain Mara keeps/);
    expect(system).not.toContain('{{');
    expect(messages.slice(1, 3)).toEqual([
      { role: 'user', content: 'hi captain' },
      { role: 'assistant', content: 'Ahoy.' },
    ]);
    const [memory, forMessage] = [messages[3], messages[4]];
    expect(memory?.role).toBe('system');
    expect(memory?.content).toContain('the user is called Alice');
    expect(memory?.content).toContain('22-foot sloop');
    // What is about this message only comes last, in a message of its own (left out next turn).
    expect(forMessage?.role).toBe('system');
    expect(forMessage?.content).toContain('Tone: calm. Length: one or two sentences.');
    expect(forMessage?.content).toContain('Acknowledge: the user sounds worried');
    expect(forMessage?.content).toContain('It is 10:00');
    expect(forMessage?.content).not.toContain('Alice');
    expect(messages.slice(5)).toEqual([{ role: 'user', content: 'should I reef now?' }]);
  });

  it('keeps the reply rules: in character, to the last message, which is the user\'s', () => {
    const messages = buildPrompt(input);
    expect(messages[0]?.content).toContain('Reply as Captain Mara, in character, to the last message only.');
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'should I reef now?' });
    // Memory is marked as private to this user and as notes, not as something the user said.
    expect(messages.at(-3)?.role).toBe('system');
    expect(messages.at(-3)?.content).toContain('private to this user');
    expect(messages.at(-2)?.role).toBe('system');
    expect(messages[0]?.content).toContain('what earlier notes said still holds');
    for (const message of messages) expect(message.content).not.toMatch(/\{\{/);
    // Without memory, plan or context there are no notes: the message follows the conversation.
    const bare = buildPrompt({ ...input, recalled: [], facts: [], plan: undefined, context: [] });
    expect(bare.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('keeps the system message the same all conversation long, whatever memory and plan each turn brings', () => {
    const other = buildPrompt({ ...input, facts: ['the user owns a catamaran'], recalled: [], plan: { tone: 'brisk', length: 'long', acknowledge: [] }, context: [], knowledge: ['Reef early.'] });
    expect(other[0]).toEqual(buildPrompt(input)[0]);
    expect(other[0]?.content).not.toContain('catamaran');
    expect(other[0]?.content).not.toContain('Reef early.');
  });

  it('extends the last turn\'s prompt, less its plan: memory stays where it was first shown, the new exchange added', () => {
    const turn1 = buildPrompt(input);
    const shown = { knowledge: [], facts: input.facts, recalled: input.recalled };
    const recent = [...input.recent, { role: 'user' as const, text: 'should I reef now?', notes: shown }, { role: 'assistant' as const, text: 'Aye, reef now. 🌬️' }];
    const turn2 = buildPrompt({
      ...input,
      recent,
      userText: 'and the jib?',
      // The service passes only what the shown turns do not hold already.
      recalled: ['Earlier: the jib is new'],
      facts: [],
      plan: { tone: 'brisk', length: 'short', acknowledge: [] },
    });
    // Turn 1's prompt without its plan and context, then its reply: the model erases the plan and keeps the rest.
    const kept = turn1.filter((m) => !m.content.includes('Tone: calm'));
    expect(turn2.slice(0, kept.length)).toEqual(kept);
    expect(turn2[kept.length]).toEqual({ role: 'assistant', content: 'Aye, reef now. 🌬️' });
    // Memory shown before is not repeated; the new turn's notes hold only what is new.
    expect(turn2.filter((m) => m.content.includes('the user is called Alice'))).toHaveLength(1);
    expect(turn2.at(-3)?.content).toContain('the jib is new');
    expect(turn2.at(-3)?.content).not.toContain('22-foot sloop');
    expect(turn2.at(-2)?.content).toContain('Tone: brisk');
    expect(turn2.at(-1)).toEqual({ role: 'user', content: 'and the jib?' });
    // What the model can evaluate before memory and plan are known is exactly that start.
    expect(buildStablePrompt({ character, recent, seed: input.seed })).toEqual(turn2.slice(0, kept.length + 1));
  });

  it('is reproducible for a seed and varies between seeds', () => {
    expect(buildPrompt(input)).toEqual(buildPrompt(input));
    const systems = new Set(['a', 'b', 'c', 'd', 'e'].map((seed) => buildPrompt({ ...input, seed })[0]?.content));
    expect(systems.size).toBeGreaterThan(1);
  });

  it('stays within its size bound, dropping memory and old turns first', () => {
    const long = 'x'.repeat(400);
    const messages = buildPrompt({
      ...input,
      recalled: Array.from({ length: 40 }, (_, i) => `old ${i} ${long}`),
      recent: Array.from({ length: 20 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', text: `turn ${i} ${long}` })),
      maxChars: 6000,
    });
    const total = messages.reduce((n, m) => n + m.content.length, 0);
    expect(total).toBeLessThanOrEqual(6000 + 200);
    expect(messages.at(-1)?.content).toBe('should I reef now?');
    expect(messages.at(-3)?.content).toContain('the user is called Alice');
    // Old turns go half at a time, so that the turns after keep the same start.
    const kept = messages.filter((m) => m.role !== 'system').slice(0, -1);
    expect(kept.length % 2).toBe(0);
    expect(kept.at(-1)?.content).toContain('turn 19');
  });

  it('fills elizaOS placeholders', () => {
    expect(fillPlaceholders('{{name}} meets {{user1}} and {{agentName}} greets {{name1}}', 'Mara', 'Alice')).toBe('Mara meets Alice and Mara greets Alice');
  });
});
