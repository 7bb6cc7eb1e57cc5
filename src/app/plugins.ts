/** Loads each character's plugins once and gives every character its own plugin host. */
import type { CharacterSet } from '../character/character-set.js';
import type { MemoryPort } from '../conversation/ports.js';
import type { LanguageModel } from '../inference/types.js';
import type { Logger } from '../logger.js';
import { describeError } from '../errors.js';
import { describeMemory } from '../conversation/describe-memory.js';
import { loadPlugin, pluginExists } from '../plugin-host/load-plugins.js';
import { createPluginHost, type PluginHost } from '../plugin-host/plugin-host.js';
import { createPluginRuntime } from '../plugin-host/plugin-runtime.js';
import type { LoadedPlugin } from '../plugin-host/plugin-types.js';

export async function createPluginHosts(deps: { characters: CharacterSet; model: LanguageModel; memory: MemoryPort; logger: Logger }): Promise<Map<string, PluginHost>> {
  const hosts = new Map<string, PluginHost>();
  const cache = new Map<string, Promise<LoadedPlugin | undefined>>();
  const load = (name: string) => {
    let pending = cache.get(name);
    if (!pending) {
      pending = pluginExists(name)
        ? loadPlugin(name).catch((error: unknown) => {
            deps.logger.warn(`plugin ${name} not loaded: ${describeError(error)}`);
            return undefined;
          })
        : Promise.resolve(undefined);
      cache.set(name, pending);
    }
    return pending;
  };
  for (const character of deps.characters.all) {
    if (character.plugins.length === 0) continue;
    const plugins = (await Promise.all(character.plugins.map(load))).filter((p): p is LoadedPlugin => p !== undefined);
    if (plugins.length === 0) continue;
    const runtime = createPluginRuntime({
      character: { ...character },
      model: deps.model,
      logger: deps.logger,
      memory: {
        recall: (entityId, query) => deps.memory.recall(entityId, query, { recent: 5, relevant: 5 }),
        describe: (entityId) => describeMemory(deps.memory, entityId),
        async remember(entityId, facts) {
          await deps.memory.rememberFacts(entityId, facts.map((fact) => ({ factKind: fact.kind, text: fact.text, sourceTurnId: 'plugin' })));
        },
      },
    });
    hosts.set(character.name, createPluginHost({ plugins, runtime, logger: deps.logger }));
    deps.logger.debug(`character ${character.name}: plugins ${plugins.map((p) => p.plugin.name).join(', ')}`);
  }
  return hosts;
}
