/**
 * Runs a character's plugins around a turn: providers add context to the prompt, actions
 * whose `validate` accepts the turn run their `handler` (their output is part of the reply),
 * evaluators run after the reply. Each call is time-limited and isolated: a plugin that
 * throws or hangs is logged and skipped, and the turn goes on.
 */
import type { IAgentRuntime, Memory, State, Content, UUID } from '@elizaos/core';
import type { Logger } from '../logger.js';
import { describeError } from '../errors.js';
import { readUserKey } from '../conversation/user-key.js';
import type { LoadedPlugin } from './plugin-types.js';
import { runtimeForTurn, type PermachatPluginRuntime } from './plugin-runtime.js';
import { withTimeout } from './with-timeout.js';

export interface TurnContext {
  turnId: string;
  /** The user key (`channel:id`); plugins see it as the message's entityId. */
  userKey: string;
  text: string;
  understanding?: unknown;
  sentiment?: unknown;
}

export interface PluginOutcome {
  /** Provider texts for the prompt. */
  context: string[];
  /** What actions produced for the user, in order. */
  actions: Array<{ name: string; text: string }>;
}

export interface PluginHost {
  readonly names: string[];
  beforeReply(turn: TurnContext): Promise<PluginOutcome>;
  afterReply(turn: TurnContext & { reply: string }): Promise<void>;
}

function messageFor(turn: TurnContext, agentId: string): Memory {
  return {
    id: turn.turnId as UUID,
    entityId: turn.userKey as UUID,
    agentId: agentId as UUID,
    roomId: turn.userKey as UUID,
    createdAt: Date.now(),
    content: { text: turn.text, source: readUserKey(turn.userKey)?.channel ?? 'unknown' },
  };
}

function stateFor(turn: TurnContext, extra: Record<string, unknown> = {}): State {
  const intent = (turn.understanding as { intent?: unknown } | undefined)?.intent;
  const label = (turn.sentiment as { label?: unknown } | undefined)?.label;
  return {
    values: { intent, sentiment: label, understanding: turn.understanding, ...extra },
    data: { understanding: turn.understanding, sentiment: turn.sentiment },
    text: '',
  };
}

export function createPluginHost(deps: { plugins: LoadedPlugin[]; runtime: PermachatPluginRuntime; logger: Logger; timeoutMs?: number }): PluginHost {
  const timeoutMs = deps.timeoutMs ?? 3000;
  // Our runtime implements the part of IAgentRuntime plugins commonly use; the rest throws a named error.
  const runtimeFor = (turn: TurnContext) => runtimeForTurn(deps.runtime, turn.userKey) as unknown as IAgentRuntime;
  const log = deps.logger;

  async function guarded<T>(plugin: string, what: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(plugin, what, timeoutMs, run);
    } catch (error) {
      log.warn(`plugin ${plugin}: ${what} failed, skipped: ${describeError(error)}`);
      return undefined;
    }
  }

  return {
    names: deps.plugins.map((loaded) => loaded.plugin.name),

    async beforeReply(turn) {
      const runtime = runtimeFor(turn);
      const message = messageFor(turn, deps.runtime.agentId);
      const state = stateFor(turn);
      const providers = deps.plugins.flatMap(({ plugin }) => (plugin.providers ?? []).map((provider) => ({ plugin: plugin.name, provider })));
      const provided = await Promise.all(
        providers.map(({ plugin, provider }) => guarded(plugin, `provider ${provider.name}`, () => provider.get(runtime, message, state))),
      );
      const context = provided.flatMap((result) => {
        // elizaOS providers return { text, values, data }; older ones return a plain string.
        const text = typeof result === 'string' ? result : result?.text;
        return typeof text === 'string' && text.trim() ? [text.trim()] : [];
      });

      const actions: PluginOutcome['actions'] = [];
      for (const { plugin } of deps.plugins) {
        for (const action of plugin.actions ?? []) {
          const valid = await guarded(plugin.name, `action ${action.name} validate`, () => action.validate(runtime, message, state));
          if (!valid) continue;
          const said: string[] = [];
          const callback = async (content: Content): Promise<Memory[]> => {
            if (content.text) said.push(content.text);
            return [];
          };
          const result = await guarded(plugin.name, `action ${action.name}`, () => action.handler(runtime, message, state, {}, callback));
          if (result && typeof result === 'object' && 'text' in result && typeof result.text === 'string' && !said.includes(result.text)) said.push(result.text);
          if (said.length > 0) actions.push({ name: action.name, text: said.join('\n') });
        }
      }
      return { context, actions };
    },

    async afterReply(turn) {
      const runtime = runtimeFor(turn);
      const message = messageFor(turn, deps.runtime.agentId);
      const state = stateFor(turn, { reply: turn.reply });
      const response: Memory = { ...message, id: undefined, entityId: deps.runtime.agentId as UUID, content: { text: turn.reply } };
      await Promise.all(
        deps.plugins.flatMap(({ plugin }) =>
          (plugin.evaluators ?? []).map(async (evaluator) => {
            const run = evaluator.alwaysRun || (await guarded(plugin.name, `evaluator ${evaluator.name} validate`, () => evaluator.validate(runtime, message, state)));
            if (run) await guarded(plugin.name, `evaluator ${evaluator.name}`, () => evaluator.handler(runtime, message, state, {}, undefined, [response]));
          }),
        ),
      );
    },
  };
}
