/**
 * Everything a chatting command (`start`, `chat`) runs: every part composed, the conversation
 * service on top. Parts hold only the keys they need; the runtime hands out the channels' keys.
 */
import { mkdir } from 'node:fs/promises';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { ArweaveClient } from '../arweave/client.js';
import type { CharacterSet } from '../character/character-set.js';
import type { LanguageModel } from '../inference/types.js';
import type { Memory } from '../memory/memory.js';
import type { AoHandle } from './ao.js';
import { compose, type ComposeOptions, type Conversation } from './compose.js';
import type { ChannelKeys } from './keyring.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  conversation: Conversation;
  model: LanguageModel;
  characters: CharacterSet;
  arweave: ArweaveClient;
  memory: Memory;
  ao: AoHandle | undefined;
  channelKeys: ChannelKeys;
  close(): Promise<void>;
}

export type RuntimeOptions = ComposeOptions;

export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  await mkdir(config.dataDir, { recursive: true });
  const parts = compose(config, logger, options);
  try {
    const conversation = await parts.conversation();
    // Already up for the conversation: these only hand the same parts out.
    const [model, characters, arweave, memory, ao, channelKeys] = await Promise.all([
      parts.model(),
      parts.characters(),
      parts.arweave(),
      parts.memory(),
      options.withAo === false ? undefined : parts.ao(),
      parts.channelKeys(),
    ]);
    return { config, logger, conversation, model, characters, arweave: arweave.client, memory, ao, channelKeys, close: parts.close };
  } catch (error) {
    await parts.close();
    throw error;
  }
}
