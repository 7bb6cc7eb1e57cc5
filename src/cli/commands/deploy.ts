/**
 * `permachat deploy`: publishes the three modules to Arweave and spawns the processes on the
 * AO network named by configuration (AO_MODE, AO_MU_URL, AO_CU_URL, AO_GATEWAY_URL,
 * AO_SCHEDULER, a wallet), prints their ids and records them so `npm start` uses them.
 */
import { openRemoteNetwork, publishModules } from '../../app/ao.js';
import { compose } from '../../app/compose.js';
import { recordDeployment, spawnProcesses, waitUntilIndexed } from '../../ao/deploy.js';
import { createArweaveClient } from '../../arweave/client.js';
import { moduleTags } from '../../ao/node/module-store.js';
import { walletAddress } from '../../arweave/wallet.js';
import { ConfigError, InputError } from '../../errors.js';
import { parseFlags } from '../args.js';
import { print, type Command } from '../io.js';
import { configFromIo, loggerFor } from '../context.js';

const usage = 'permachat deploy [--index-timeout <seconds>]';

export const deployCommand: Command = async (args, io) => {
  const { values } = parseFlags(args, { 'index-timeout': { type: 'string' } }, usage);
  const indexTimeoutSeconds = values['index-timeout'] === undefined ? 1800 : Number(values['index-timeout']);
  if (!Number.isInteger(indexTimeoutSeconds) || indexTimeoutSeconds < 0) throw new InputError(`--index-timeout must be a whole number of seconds, not "${values['index-timeout']}"`, { hint: usage });
  const config = configFromIo(io);
  const logger = loggerFor(config, io);
  // A public network must find the modules on a real gateway: the embedded one lives in DATA_DIR.
  if (config.AO_MODE !== 'embedded' && !config.ARWEAVE_URL) {
    throw new ConfigError('ARWEAVE_URL', `deploying to AO_MODE=${config.AO_MODE} publishes the modules to Arweave, and the embedded gateway is private to this machine`, 'set ARWEAVE_URL to a real gateway and ARWEAVE_WALLET to a funded wallet');
  }
  const parts = compose(config, logger, { cwd: io.cwd });
  try {
    if (config.AO_MODE === 'embedded') {
      // The embedded node spawns (or finds) its processes on start; deploy just reports them.
      printIds(io.stdout, 'embedded', (await parts.ao()).processes);
      return 0;
    }
    const arweave = await parts.arweave();
    const remote = await openRemoteNetwork(config, arweave);
    const { wallet, gateway: gatewayUrl } = remote;
    // Mainnet: the HyperBEAM node names its scheduler, and pushes between processes itself.
    const scheduler = config.AO_SCHEDULER ?? (remote.client.schedulerAddress ? await remote.client.schedulerAddress() : undefined);
    if (!scheduler) throw new ConfigError('AO_SCHEDULER', 'required to spawn processes on a legacy AO network', 'set AO_SCHEDULER to the scheduler unit address of that network');
    const authority = config.AO_AUTHORITY ?? (config.AO_MODE === 'mainnet' ? scheduler : undefined);
    if (!authority) throw new ConfigError('AO_AUTHORITY', 'required to spawn processes on a legacy AO network', "set AO_AUTHORITY to the wallet address of that network's MU: processes believe a From-Process tag only on items it signed");
    // The turn's messages are signed by this wallet: Generation accepts Inference-Results from it.
    const worker = await walletAddress(wallet);
    const modules = await publishModules(arweave.client, (name, bytes, hash) =>
      arweave.client.post(bytes, moduleTags(name, { extraTags: [{ name: 'Module-Sha256', value: hash }] })),
    );
    const gateway = gatewayUrl === arweave.client.url ? arweave.client : createArweaveClient({ url: gatewayUrl, wallet });
    await waitUntilIndexed({
      ids: Object.values(modules),
      find: async (ids) => new Set((await gateway.query({ ids, tags: [], first: ids.length })).items.map((item) => item.id)),
      timeoutMs: indexTimeoutSeconds * 1000,
      pollMs: 15_000,
      onWait: (missing, waited) => logger.info(`waiting for ${gatewayUrl} to index ${missing.length} module(s) (${Math.round(waited / 1000)} s so far)`),
    });
    const processes = await spawnProcesses({ spawner: remote.client, modules, scheduler, worker, authority });
    const network = remote.network;
    await recordDeployment(config.dataDir, { network, modules, processes, worker, scheduler, authority, createdAt: new Date().toISOString() });
    printIds(io.stdout, network, processes);
    return 0;
  } finally {
    await parts.close();
  }
};

function printIds(out: NodeJS.WritableStream, network: string, processes: { understanding: string; sentiment: string; generation: string }): void {
  print(out, [
    `NETWORK=${network}`,
    `PROCESS_UNDERSTANDING=${processes.understanding}`,
    `PROCESS_SENTIMENT=${processes.sentiment}`,
    `PROCESS_GENERATION=${processes.generation}`,
  ].join('\n'));
}

