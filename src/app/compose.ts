/**
 * The composition root: the real adapters (Arweave, the keyring, memory, AO, the model,
 * characters, plugins, the conversation service), each built on first use with what it needs.
 * A command asks only for the parts it uses (`memory` never loads a model) and closes them all
 * in one call.
 */
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { loadCharacterSet, type CharacterSet } from '../character/character-set.js';
import { createConversationService, type ConversationStats } from '../conversation/service.js';
import type { ConversationPort } from '../conversation/types.js';
import { createLanguageModel } from '../inference/create-model.js';
import type { LanguageModel } from '../inference/types.js';
import type { Memory } from '../memory/memory.js';
import { pluginExists } from '../plugin-host/load-plugins.js';
import { startAo, type AoHandle } from './ao.js';
import { startArweave, type ArweaveHandle } from './arweave.js';
import { createCharacterRegistry } from './character-registry.js';
import { loadKeyring, type ChannelKeys } from './keyring.js';
import { createLifecycle } from './lifecycle.js';
import { startMemory } from './memory.js';
import { createPluginHosts } from './plugins.js';

export type Conversation = ConversationPort & { close(): Promise<void>; stats(): ConversationStats };

export interface ComposeOptions {
  /** Where relative character paths are read from. */
  cwd: string;
  /** Run turns through the AO processes (default true). */
  withAo?: boolean;
  /** A model to use instead of the configured one (benchmarks, tests); whoever made it closes it. */
  model?: LanguageModel;
}

export interface Parts {
  readonly config: Config;
  readonly logger: Logger;
  arweave(): Promise<ArweaveHandle>;
  memory(): Promise<Memory>;
  ao(): Promise<AoHandle>;
  model(): Promise<LanguageModel>;
  characters(): Promise<CharacterSet>;
  /** The channels' keys: the inbox cipher and the Telegram webhook secret. */
  channelKeys(): Promise<ChannelKeys>;
  /** Every part a turn goes through; AO unless `withAo: false`. */
  conversation(): Promise<Conversation>;
  /** Stops what was started, last started first. */
  close(): Promise<void>;
}

/** The conversation service over the parts a turn goes through. */
async function conversationOver(parts: { config: Config; logger: Logger; model: LanguageModel; characters: CharacterSet; memory: Memory; analysis: AoHandle | undefined; pseudonym: (userKey: string) => string }): Promise<Conversation> {
  const { config, logger } = parts;
  const plugins = await createPluginHosts({ characters: parts.characters, model: parts.model, memory: parts.memory, logger: logger.child('plugins') });
  return createConversationService({
    characters: createCharacterRegistry(parts.characters),
    model: parts.model,
    memory: parts.memory,
    analysis: parts.analysis?.pipeline,
    pseudonym: parts.pseudonym,
    logger: logger.child('turn'),
    maxTokens: config.LLM_MAX_TOKENS,
    plugins: (name) => plugins.get(name),
    aoRequired: config.AO_REQUIRED,
  });
}

function loadCharacters(config: Config, logger: Logger, cwd: string): Promise<CharacterSet> {
  return loadCharacterSet({
    charactersDir: config.CHARACTERS_DIR,
    ...(config.CHARACTER ? { defaultCharacter: config.CHARACTER } : {}),
    cwd,
    deps: { pluginExists },
    warn: (line) => logger.warn(line),
    notice: (line) => logger.debug(line),
  });
}

export function compose(config: Config, logger: Logger, options: ComposeOptions): Parts {
  const lifecycle = createLifecycle(logger);
  const keyring = lifecycle.once(() => loadKeyring(config, (line) => logger.warn(line)));
  const arweave = lifecycle.once(
    () => startArweave(config, logger),
    async (handle) => handle.local?.stop(),
  );
  const memory = lifecycle.once(
    async () => {
      const [gateway, keys] = await Promise.all([arweave(), keyring()]);
      return startMemory({ config, arweave: gateway.client, memoryKey: keys.memory, logger: logger.child('memory') });
    },
    (started) => started.close(),
  );
  const ao = lifecycle.once(
    async () => {
      const [gateway, keys] = await Promise.all([arweave(), keyring()]);
      return startAo({ config, arweave: gateway, keys: keys.ao, logger: logger.child('ao') });
    },
    (started) => started.close(),
  );
  const given = options.model;
  const model = given
    ? lifecycle.once(async () => given)
    : lifecycle.once(
        () => createLanguageModel(config, logger.child('llm')),
        (created) => created.close(),
      );
  const characters = lifecycle.once(() => loadCharacters(config, logger, options.cwd));
  const conversation = lifecycle.once(
    async () => {
      const [loadedModel, loadedCharacters] = await Promise.all([model(), characters(), arweave()]);
      // One after the other: the memory is up before AO starts its processes.
      const store = await memory();
      const analysis = options.withAo === false ? undefined : await ao();
      const { conversationPseudonym } = await keyring();
      return conversationOver({ config, logger, model: loadedModel, characters: loadedCharacters, memory: store, analysis, pseudonym: conversationPseudonym });
    },
    (service) => service.close(),
  );
  const channelKeys = async () => (await keyring()).channels;
  return { config, logger, arweave, memory, ao, model, characters, channelKeys, conversation, close: () => lifecycle.close() };
}
