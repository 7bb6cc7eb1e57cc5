/** Arweave for every command: the configured gateway, or the embedded one in DATA_DIR/arweave. */
import type { Config } from '../config/config.js';
import { dataPaths } from '../config/paths.js';
import type { Logger } from '../logger.js';
import { ConfigError } from '../errors.js';
import { startArlocal, type LocalArweave } from '../arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient } from '../arweave/client.js';
import { turboUploader, withUploader } from '../arweave/uploader.js';
import { loadOrCreateWallet, readWallet, type JWKInterface } from '../arweave/wallet.js';

export interface ArweaveHandle {
  client: ArweaveClient;
  wallet: JWKInterface;
  local: LocalArweave | undefined;
}

/** Arweave: the configured gateway with the operator's wallet, or embedded arlocal in DATA_DIR/arweave. */
export async function startArweave(config: Config, logger: Logger): Promise<ArweaveHandle> {
  if (config.ARWEAVE_URL) {
    if (!config.ARWEAVE_WALLET) throw new ConfigError('ARWEAVE_WALLET', 'required when ARWEAVE_URL is set', 'set ARWEAVE_WALLET to the JWK file of a funded Arweave wallet');
    const wallet = await readWallet(config.ARWEAVE_WALLET);
    // An arlocal gateway (a test or a private deployment) needs minting and mining; a real one does not.
    const local = await isArlocal(config.ARWEAVE_URL);
    return { client: writingThrough(config, createArweaveClient({ url: config.ARWEAVE_URL, wallet, local })), wallet, local: undefined };
  }
  // The wallet first: a wallet that cannot be read must not leave a started gateway behind.
  const wallet = await loadOrCreateWallet(config.ARWEAVE_WALLET ?? dataPaths(config.dataDir).wallet);
  const local = await startArlocal({ dataDir: dataPaths(config.dataDir).arweave });
  // Every command that opens the folder says so, not only `start`: what an export misses is explained.
  if (local.repaired.length > 0) logger.warn(`embedded Arweave: removed ${local.repaired.length} transaction(s) half-written when the last run stopped; they are posted again from the outbox`);
  return { client: writingThrough(config, createArweaveClient({ url: local.url, wallet, local: true })), wallet, local };
}

/** The gateway client with its writes going through the configured uploader (ARWEAVE_UPLOAD). */
function writingThrough(config: Config, client: ArweaveClient): ArweaveClient {
  return config.ARWEAVE_UPLOAD === 'turbo' ? withUploader(client, turboUploader({ url: config.TURBO_UPLOAD_URL })) : client;
}

async function isArlocal(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/$/, '')}/info`, { signal: AbortSignal.timeout(5000) });
    const info = (await response.json()) as { network?: unknown };
    return typeof info.network === 'string' && info.network.startsWith('arlocal');
  } catch {
    return false;
  }
}
