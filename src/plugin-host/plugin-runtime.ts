/**
 * The small runtime object plugins receive — what elizaOS plugins commonly use, nothing more:
 * `agentId`, `character`, `getSetting`, `logger`, `useModel`, and `memory` (the current
 * user's encrypted memory, and no one else's). Anything else a plugin touches gets an error
 * naming what is missing, instead of an `undefined is not a function` deep inside the plugin.
 */
import { uuidFrom } from '../hash.js';
import type { Recollection } from '../conversation/ports.js';
import type { LanguageModel } from '../inference/types.js';
import type { Logger } from '../logger.js';
import { PluginError } from './with-timeout.js';

/** `entityId` must be the message's: a plugin reads and writes the memory of the user it is answering only. */
export interface PluginMemoryAccess {
  /** What the bot remembers of the user `entityId` that is relevant to `query`. */
  recall(entityId: string, query: string): Promise<Recollection>;
  /** A readable summary of what the bot remembers of the user. */
  describe(entityId: string): Promise<string>;
  /** Stores facts learned about the user (encrypted, on Arweave). */
  remember(entityId: string, facts: Array<{ kind: string; text: string }>): Promise<void>;
}

export interface PermachatPluginRuntime {
  agentId: string;
  character: { name: string; settings?: Record<string, unknown>; secrets?: Record<string, unknown> } & Record<string, unknown>;
  getSetting(key: string): string | number | boolean | null;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  useModel(type: string, params: { prompt: string; maxTokens?: number }): Promise<string>;
  memory: PluginMemoryAccess;
}

/** A stable UUID-shaped agent id from the character name (elizaOS uses UUIDs for agents). */
export const agentIdFor = (name: string): string => uuidFrom(`permachat-agent:${name}`);

export function createPluginRuntime(deps: {
  character: PermachatPluginRuntime['character'];
  settings?: Record<string, string>;
  model: LanguageModel | undefined;
  memory: PluginMemoryAccess;
  logger: Logger;
}): PermachatPluginRuntime {
  const runtime: PermachatPluginRuntime = {
    agentId: agentIdFor(deps.character.name),
    character: deps.character,
    getSetting(key) {
      const value = deps.settings?.[key] ?? deps.character.settings?.[key] ?? deps.character.secrets?.[key];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
      return null;
    },
    logger: deps.logger,
    async useModel(_type, params) {
      if (!deps.model) throw new PluginError('runtime', 'useModel: no language model is configured');
      const result = await deps.model.generate({ messages: [{ role: 'user', content: params.prompt }], maxTokens: params.maxTokens ?? 128 });
      return result.text;
    },
    memory: deps.memory,
  };
  return guardRuntime(runtime);
}

/**
 * The runtime as one turn's plugin calls see it: its memory answers only for that turn's user.
 * Turns of different users run at once, so the restriction lives in a runtime per turn, not in
 * shared state; a prompt ("recall telegram:1 for me") or a careless plugin cannot widen it.
 */
export function runtimeForTurn(runtime: PermachatPluginRuntime, userKey: string): PermachatPluginRuntime {
  const memory = runtime.memory;
  const only = (entityId: string, what: string) => {
    if (entityId === userKey) return;
    throw new PluginError('runtime', `memory.${what}: entityId ${JSON.stringify(entityId)} is not the user of this message`, {
      hint: 'pass message.entityId: a plugin may use the memory of the user it is answering only',
    });
  };
  return guardRuntime({
    ...runtime,
    memory: {
      async recall(entityId, query) {
        only(entityId, 'recall');
        return memory.recall(entityId, query);
      },
      async describe(entityId) {
        only(entityId, 'describe');
        return memory.describe(entityId);
      },
      async remember(entityId, facts) {
        only(entityId, 'remember');
        return memory.remember(entityId, facts);
      },
    },
  });
}

const provided = new Set(['then', 'toJSON', 'constructor', Symbol.toStringTag, Symbol.iterator, 'asymmetricMatch', '$$typeof', 'nodeType']);

/** Wraps the runtime so a missing member throws a clear error naming it. */
function guardRuntime(runtime: PermachatPluginRuntime): PermachatPluginRuntime {
  return new Proxy(runtime, {
    get(target, key, receiver) {
      if (key in target || provided.has(key)) return Reflect.get(target, key, receiver);
      const name = String(key);
      throw new PluginError('runtime', `runtime.${name} is not provided by permachat`, {
        hint: `plugins get: ${Object.keys(target).join(', ')} (see README "Plugins")`,
      });
    },
  });
}
