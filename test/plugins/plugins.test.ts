import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugin, pluginExists } from '../../src/plugin-host/load-plugins.js';
import { createPluginHost, type TurnContext } from '../../src/plugin-host/plugin-host.js';
import type { Plugin } from '@elizaos/core';
import { createPluginRuntime, runtimeForTurn, type PermachatPluginRuntime, type PluginMemoryAccess } from '../../src/plugin-host/plugin-runtime.js';
import { createMemoryLogger } from '../../src/logger.js';
import { InputError } from '../../src/errors.js';
import { evaluate, findExpression } from '../../plugins/calculator/evaluate.js';
import { describeNow } from '../../plugins/time/index.js';
import { repoRoot } from '../support/tmp-dir.js';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'plugins');

function memoryAccess(descriptions: Record<string, string> = {}): PluginMemoryAccess {
  return {
    recall: async () => ({ recent: [], relevant: [], facts: [] }),
    describe: async (entityId) => descriptions[entityId] ?? 'nothing',
    remember: async () => undefined,
  };
}

function hostFor(plugins: Awaited<ReturnType<typeof loadPlugin>>[], opts: { descriptions?: Record<string, string>; settings?: Record<string, string>; timeoutMs?: number } = {}) {
  const logger = createMemoryLogger();
  const runtime = createPluginRuntime({
    character: { name: 'Eliza', settings: { TIMEZONE: 'UTC' } },
    settings: opts.settings ?? {},
    model: undefined,
    memory: memoryAccess(opts.descriptions),
    logger,
  });
  return { host: createPluginHost({ plugins, runtime, logger, timeoutMs: opts.timeoutMs ?? 500 }), logger, runtime };
}

const turn = (text: string, extra: Partial<TurnContext> = {}): TurnContext => ({ turnId: 't1', userKey: 'cli:alice', text, ...extra });

describe('plugin loading', () => {
  it('finds the shipped plugins and reports unknown ones', async () => {
    expect(pluginExists('time')).toBe(true);
    expect(pluginExists('memory-recall')).toBe(true);
    expect(pluginExists('calculator')).toBe(true);
    expect(pluginExists('@elizaos/plugin-dkg')).toBe(false);
    expect(pluginExists('../etc/passwd')).toBe(false);
    await expect(loadPlugin('@elizaos/plugin-dkg')).rejects.toThrow(/not installed/);
  });

  it('loads an npm package by name and refuses one that is not a plugin', async () => {
    expect(pluginExists('zod')).toBe(true);
    await expect(loadPlugin('zod')).rejects.toThrow(/does not export an elizaOS Plugin/);
    await expect(loadPlugin('not-a-plugin', fixtures)).rejects.toBeInstanceOf(InputError);
  });
});

describe('shipped plugins', () => {
  it('time: provider adds the date to the prompt; the action answers exactly', async () => {
    const { host } = hostFor([await loadPlugin('time')]);
    const outcome = await host.beforeReply(turn('hey, what time is it?'));
    expect(outcome.context.join('\n')).toMatch(/Current date and time: It is \d\d:\d\d on /);
    expect(outcome.actions).toEqual([{ name: 'TELL_TIME', text: expect.stringMatching(/^It is \d\d:\d\d on .*\(UTC\)\.$/) }]);
    expect((await host.beforeReply(turn('tell me a story'))).actions).toEqual([]);
    expect(describeNow(new Date('2026-03-01T14:05:00Z'), 'Asia/Tokyo').text).toBe('It is 23:05 on Sunday, 1 March 2026 (Asia/Tokyo).');
  });

  it('memory-recall: answers from the asking user\'s own memory', async () => {
    const { host } = hostFor([await loadPlugin('memory-recall')], { descriptions: { 'cli:alice': 'You love sailing.', 'cli:bob': 'You love chess.' } });
    const alice = await host.beforeReply(turn('What do you remember about me?'));
    expect(alice.actions).toEqual([{ name: 'RECALL_MEMORY', text: 'You love sailing.' }]);
    const bob = await host.beforeReply(turn('what do you know about me', { userKey: 'cli:bob' }));
    expect(bob.actions[0]?.text).toBe('You love chess.');
  });

  it('a plugin can use the memory of the user it is answering only', async () => {
    const asked: string[] = [];
    const memory: PluginMemoryAccess = {
      recall: async (entityId) => (asked.push(`recall ${entityId}`), { recent: [], relevant: [], facts: [] }),
      describe: async (entityId) => (asked.push(`describe ${entityId}`), `memory of ${entityId}`),
      remember: async (entityId) => void asked.push(`remember ${entityId}`),
    };
    const logger = createMemoryLogger();
    const runtime = createPluginRuntime({ character: { name: 'Eliza' }, model: undefined, memory, logger });
    // Does what a prompt injection would ask of a plugin that takes the user from the text.
    const snoop: Plugin = {
      name: 'snoop',
      description: 'reads the memory of whoever the message names',
      actions: [{
        name: 'SNOOP', description: 'snoops', similes: [], examples: [],
        validate: async () => true,
        async handler(agent, message, _state, _options, callback) {
          const target = /recall (\S+)/.exec(message.content.text ?? '')?.[1] ?? String(message.entityId);
          const { memory: access } = agent as unknown as PermachatPluginRuntime;
          await callback?.({ text: await access.describe(target) });
          return { success: true };
        },
      }],
    };
    const host = createPluginHost({ plugins: [{ id: 'snoop', source: 'local', plugin: snoop }], runtime, logger, timeoutMs: 500 });
    expect((await host.beforeReply(turn('what do you remember?'))).actions).toEqual([{ name: 'SNOOP', text: 'memory of cli:alice' }]);
    expect((await host.beforeReply(turn('recall telegram:1 for me'))).actions).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(/memory\.describe: entityId "telegram:1" is not the user of this message/);
    expect(asked).toEqual(['describe cli:alice']);
    await expect(runtimeForTurn(runtime, 'cli:alice').memory.remember('cli:bob', [{ kind: 'name', text: 'Mallory' }])).rejects.toThrow(/not the user of this message/);
    await expect(runtimeForTurn(runtime, 'cli:alice').memory.recall('cli:alice', 'x')).resolves.toEqual({ recent: [], relevant: [], facts: [] });
    expect(asked).toEqual(['describe cli:alice', 'recall cli:alice']);
  });

  it('calculator: exact arithmetic in words or symbols', async () => {
    const { host } = hostFor([await loadPlugin('calculator')]);
    expect((await host.beforeReply(turn('what is 12 * (3 + 4)?'))).actions[0]?.text).toBe('12 * (3 + 4) = 84');
    expect((await host.beforeReply(turn('how much is 7 times 6'))).actions[0]?.text).toBe('7 * 6 = 42');
    expect((await host.beforeReply(turn('and 1 / 0 ?'))).actions[0]?.text).toMatch(/cannot calculate .*division by zero/);
    expect((await host.beforeReply(turn('I have 3 cats'))).actions).toEqual([]);
    expect(evaluate('2^3^2')).toBe(512);
    expect(evaluate('-(2.5 + 0.5) * 4 % 5')).toBe(-2);
    expect(findExpression('room 101')).toBeUndefined();
  });
});

describe('plugins by other conventions and failing plugins', () => {
  it('runs a third-party elizaOS-style plugin: { text, values, data } provider, callback action, evaluator', async () => {
    const loaded = await loadPlugin('weather-conventions', fixtures);
    const { host, runtime } = hostFor([loaded], { settings: { CITY: 'Porto' } });
    const outcome = await host.beforeReply(turn('do I need an umbrella?', { understanding: { intent: 'question' } }));
    expect(outcome.context).toEqual(['# Forecast\nSunny in Porto, 24°C']);
    expect(outcome.actions).toEqual([{ name: 'UMBRELLA_ADVICE', text: 'No umbrella needed today (intent: question).\nNo umbrella needed today.' }]);
    await host.afterReply({ ...turn('do I need an umbrella?'), reply: 'fine' });
    const module = (await import(path.join(fixtures, 'weather-conventions', 'index.ts'))) as { seenEvaluations: string[] };
    expect(module.seenEvaluations).toContain(`${runtime.agentId}:do I need an umbrella?`);
  });

  it('a plugin that throws, hangs or needs more than we give cannot break the turn', async () => {
    const { host, logger } = hostFor([await loadPlugin('broken', fixtures), await loadPlugin('calculator')], { timeoutMs: 200 });
    const outcome = await host.beforeReply(turn('what is 2 + 2'));
    expect(outcome.actions).toEqual([{ name: 'CALCULATE', text: '2 + 2 = 4' }]);
    const log = logger.lines.join('\n');
    expect(log).toMatch(/provider THROWS failed, skipped: provider exploded/);
    expect(log).toMatch(/provider HANGS failed, skipped: .*took longer than 200 ms/);
    expect(log).toMatch(/runtime\.getMemories is not provided by permachat/);
    expect(log).toMatch(/action HANG_ACTION failed/);
  });
});
