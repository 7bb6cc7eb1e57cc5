import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCharacterFile } from '../../src/character/load.js';
import { buildPrompt, fillPlaceholders } from '../../src/prompt/build-prompt.js';
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

  it('puts the character, memory, plan, context and conversation in order', () => {
    const messages = buildPrompt(input);
    const system = messages[0]?.content ?? '';
    expect(messages[0]?.role).toBe('system');
    expect(system).toContain('You are Captain Mara');
    expect(system).toMatch(/Captain Mara has sailed for thirty years|Captain Mara has taught|Captain Mara believes|Captain Mara speaks|Captain Mara keeps/);
    expect(system).toContain('the user is called Alice');
    expect(system).toContain('22-foot sloop');
    expect(system).toContain('Tone: calm. Length: one or two sentences.');
    expect(system).toContain('Acknowledge: the user sounds worried');
    expect(system).toContain('It is 10:00');
    expect(system).not.toContain('{{');
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'hi captain' },
      { role: 'assistant', content: 'Ahoy.' },
      { role: 'user', content: 'should I reef now?' },
    ]);
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
    expect(messages[0]?.content).toContain('the user is called Alice');
  });

  it('fills elizaOS placeholders', () => {
    expect(fillPlaceholders('{{name}} meets {{user1}} and {{agentName}} greets {{name1}}', 'Mara', 'Alice')).toBe('Mara meets Alice and Mara greets Alice');
  });
});
