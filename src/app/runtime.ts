/**
 * The composition root: wires the real adapters (Arweave, memory, AO, model, characters,
 * plugins) into one conversation service. Every entry point that chats goes through here.
 */
import { mkdir } from 'node:fs/promises';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { ArweaveClient } from '../arweave/client.js';
import { loadCharacterSet, type CharacterSet } from '../character/character-set.js';
import { createConversationService, type ConversationStats } from '../conversation/service.js';
import type { ConversationPort } from '../conversation/types.js';
import { createLanguageModel } from '../inference/create-model.js';
import type { LanguageModel } from '../inference/types.js';
import { pluginExists } from '../plugin-host/load-plugins.js';
import { createCharacterRegistry } from './character-registry.js';
import { deriveKeyed, type Keyed } from './keyed-secrets.js';
import { startMemory, type MemoryHandle } from './memory.js';
import { createPluginHosts } from './plugins.js';
import { startAo, type AoHandle } from './ao.js';
import { startArweave } from './arweave.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  conversation: ConversationPort & { close(): Promise<void>; stats(): ConversationStats };
  model: LanguageModel;
  characters: CharacterSet;
  arweave: ArweaveClient;
  memory: MemoryHandle;
  ao: AoHandle | undefined;
  /** Subkeys of the master key (ciphers and pseudonyms) for the parts that store or publish. */
  keyed: Keyed;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  cwd: string;
  /** Run turns through the AO processes (default true). */
  withAo?: boolean;
  /** A model to use instead of the configured one (benchmarks, tests). */
  model?: LanguageModel;
}

/** Promise.all that waits for every step before it rejects, so each started step has registered its cleanup. */
async function allStarted<T extends readonly unknown[]>(steps: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return (await Promise.all(steps)) as unknown as T;
}

export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  await mkdir(config.dataDir, { recursive: true });
  const cleanup: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => logger.warn(`shutdown: ${String(error)}`));
  };
  try {
    // Started side by side; each registers its cleanup as soon as it is up, so that when another
    // one fails (no model, say) the ones already running are stopped, not left behind.
    const [arweave, model, characters] = await allStarted([
      startArweave(config, logger).then((handle) => {
        if (handle.local) cleanup.push(() => handle.local?.stop() ?? Promise.resolve());
        return handle;
      }),
      options.model
        ? Promise.resolve(options.model)
        : createLanguageModel(config, logger.child('llm')).then((created) => {
            cleanup.push(() => created.close());
            return created;
          }),
      loadCharacterSet({
        charactersDir: config.CHARACTERS_DIR,
        ...(config.CHARACTER ? { defaultCharacter: config.CHARACTER } : {}),
        cwd: options.cwd,
        deps: { pluginExists },
        warn: (line) => logger.warn(line),
        notice: (line) => logger.debug(line),
      }),
    ] as const);

    const memory = await startMemory({ config, arweave: arweave.client, logger: logger.child('memory') });
    cleanup.push(() => memory.close());
    const keyed = await deriveKeyed(memory.masterKey);

    const ao = options.withAo === false ? undefined : await startAo({ config, arweave, keyed, logger: logger.child('ao') });
    if (ao) cleanup.push(() => ao.close());

    const plugins = await createPluginHosts({ characters, model, memory: memory.port, logger: logger.child('plugins') });
    const conversation = createConversationService({
      characters: createCharacterRegistry(characters),
      model,
      memory: memory.port,
      analysis: ao?.pipeline,
      pseudonym: keyed.conversationPseudonym,
      logger: logger.child('turn'),
      maxTokens: config.LLM_MAX_TOKENS,
      plugins: (name) => plugins.get(name),
      aoRequired: config.AO_REQUIRED,
    });
    cleanup.push(() => conversation.close());

    return { config, logger, conversation, model, characters, arweave: arweave.client, memory, ao, keyed, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
