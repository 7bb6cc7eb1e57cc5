/**
 * AO for the runtime: the embedded node (private, default) or a remote AO network (public),
 * the three processes (spawned once and recorded per network), and the turn pipeline.
 */
import type { Config } from '../config/config.js';
import { dataPaths } from '../config/paths.js';
import type { Logger } from '../logger.js';
import { ConfigError } from '../errors.js';
import type { ArweaveClient } from '../arweave/client.js';
import { createAoClient, type AoClient } from '../ao/client.js';
import { findDeployment, readDeployments, recordDeployment, spawnProcesses, type ModuleIds } from '../ao/deploy.js';
import { loadModuleBytes, moduleNames } from '../ao/modules.js';
import { sha256Hex } from '../hash.js';
import type { AoNode } from '../ao/node/ao-node.js';
import { startAoNode } from '../ao/node/start-node.js';
import { createMainnetClient } from '../ao/mainnet-client.js';
import { createAoPipeline, type PipelineProcesses } from '../ao/pipeline.js';
import type { AnalysisPort } from '../conversation/ports.js';
import type { ArweaveHandle } from './arweave.js';
import type { AoKeys } from './keyring.js';
import { loadOrCreateWallet, readWallet, type JWKInterface } from '../arweave/wallet.js';

export interface AoHandle {
  mode: Config['AO_MODE'];
  urls: { mu: string; cu: string; gateway: string };
  processes: PipelineProcesses;
  client: AoClient;
  pipeline: AnalysisPort & { close(graceMs?: number): Promise<void> };
  /** The embedded node (its log's backlog, flush); undefined on a remote network. */
  node: AoNode | undefined;
  /** What clients of the embedded node send as `Authorization: Bearer`. */
  token: string | undefined;
  close(): Promise<void>;
}

/** Publishes a module unless this exact binary is already on Arweave (found by its hash tag). */
export async function findOrPublishModule(arweave: ArweaveClient, publish: (name: string, bytes: Uint8Array, hash: string) => Promise<string>, name: string, bytes: Uint8Array): Promise<string> {
  const hash = sha256Hex(bytes);
  const existing = await arweave.query({ tags: [{ name: 'Type', values: ['Module'] }, { name: 'Module-Sha256', values: [hash] }], first: 1 });
  return existing.items[0]?.id ?? publish(name, bytes, hash);
}

export async function publishModules(arweave: ArweaveClient, publish: (name: string, bytes: Uint8Array, hash: string) => Promise<string>): Promise<ModuleIds> {
  const ids = await Promise.all(moduleNames.map(async (name) => findOrPublishModule(arweave, publish, `permachat-${name}`, await loadModuleBytes(name))));
  return { understanding: ids[0] as string, sentiment: ids[1] as string, generation: ids[2] as string };
}

export async function startAo(deps: { config: Config; arweave: ArweaveHandle; keys: AoKeys; logger: Logger }): Promise<AoHandle> {
  const { config, arweave, logger } = deps;
  if (config.AO_MODE !== 'embedded') {
    const remote = await openRemoteNetwork(config, arweave);
    const deployed = await findDeploymentFor(config.dataDir, remote.network);
    if (!deployed) throw new ConfigError('AO_MU_URL', `no permachat processes are recorded for ${remote.network}`, 'run: permachat deploy (it spawns them and records their ids)');
    const pipeline = createAoPipeline({ ao: remote.client, processes: deployed, logger });
    return { mode: config.AO_MODE, urls: remote.urls, processes: deployed, client: remote.client, pipeline, node: undefined, token: undefined, async close() { await pipeline.close(); } };
  }

  // The turn's messages are signed with the memory wallet: Generation accepts its Inference-Results.
  const worker = await arweave.client.address();
  // The node signs what it pushes with its own wallet: the processes' Authority.
  const nodeWallet = await loadOrCreateWallet(dataPaths(config.dataDir).aoNode.wallet);
  const node = await startAoNode({
    dataDir: dataPaths(config.dataDir).aoNode.dir,
    arweave: arweave.client,
    wallet: nodeWallet,
    cipher: deps.keys.cipher,
    pseudonym: deps.keys.processPseudonym,
    privateMode: config.PRIVACY === 'private',
    logger,
    port: config.AO_PORT,
    // The embedded gateway is this machine's: a compute unit here finds the SU through it.
    announce: arweave.local !== undefined,
    ...(config.AO_NODE_TOKEN ? { token: config.AO_NODE_TOKEN } : {}),
  });
  try {
    const client = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: arweave.wallet });
    const modules = await publishModules(arweave.client, (name, bytes, hash) => node.publishModule(name, bytes, { extraTags: [{ name: 'Module-Sha256', value: hash }] }));
    // The node is MU and SU at once: it schedules, and it signs what it pushes.
    const processes = await ensureProcesses({ dataDir: config.dataDir, network: 'embedded', modules, worker, scheduler: node.scheduler, authority: node.scheduler, client, logger });
    const pipeline = createAoPipeline({ ao: client, processes, logger, pushesBeforeResult: true });
    return {
      mode: 'embedded',
      urls: { mu: node.muUrl, cu: node.cuUrl, gateway: node.gatewayUrl },
      processes,
      client,
      pipeline,
      node: node.node,
      token: node.token,
      async close() {
        await pipeline.close();
        await node.stop();
      },
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/**
 * The configured public network as `start` and `deploy` reach it: signed for with AO_WALLET (else
 * the wallet that pays for Arweave), modules looked up on AO_GATEWAY_URL (else that gateway).
 */
export async function openRemoteNetwork(config: Config, arweave: ArweaveHandle): Promise<ReturnType<typeof remoteNetwork> & { wallet: JWKInterface; gateway: string }> {
  const wallet = config.AO_WALLET ? await readWallet(config.AO_WALLET) : arweave.wallet;
  const gateway = config.AO_GATEWAY_URL ?? arweave.client.url;
  return { ...remoteNetwork(config, wallet, gateway), wallet, gateway };
}

/**
 * The configured public network: legacy (an MU and a CU) or mainnet (one HyperBEAM node at
 * AO_MU_URL), the name its deployment is recorded under, and a client for it.
 */
export function remoteNetwork(config: Config, wallet: JWKInterface, gateway: string): { network: string; urls: AoHandle['urls']; client: AoClient & { schedulerAddress?(): Promise<string> } } {
  const mu = config.AO_MU_URL ?? '';
  if (config.AO_MODE === 'mainnet') return { network: `mainnet:${mu}`, urls: { mu, cu: mu, gateway }, client: createMainnetClient({ url: mu, wallet }) };
  return { network: `legacy:${mu}`, urls: { mu, cu: config.AO_CU_URL ?? '', gateway }, client: legacyClient(config, wallet, gateway) };
}

/** aoconnect for the configured legacy MU and CU (with the node's token when one is set). */
export function legacyClient(config: Config, wallet: JWKInterface, gateway: string): AoClient {
  return createAoClient({ muUrl: config.AO_MU_URL ?? '', cuUrl: config.AO_CU_URL ?? '', gatewayUrl: gateway, wallet, ...(config.AO_NODE_TOKEN ? { token: config.AO_NODE_TOKEN } : {}) });
}

async function findDeploymentFor(dataDir: string, network: string): Promise<PipelineProcesses | undefined> {
  return (await readDeployments(dataDir)).find((d) => d.network === network)?.processes;
}

/** The recorded processes for these modules and this worker, when the network still knows them; else new ones. */
export async function ensureProcesses(deps: {
  dataDir: string;
  network: string;
  modules: ModuleIds;
  worker: string;
  scheduler: string;
  /** The MU's address, which vouches for messages pushed between processes. */
  authority: string;
  client: AoClient;
  logger: Logger;
}): Promise<PipelineProcesses> {
  const recorded = await findDeployment(deps.dataDir, deps);
  if (recorded) {
    try {
      await deps.client.dryrun({ process: recorded.processes.generation, tags: [{ name: 'Action', value: 'Info' }] });
      return recorded.processes;
    } catch {
      deps.logger.info('recorded AO processes are unknown to this node: spawning new ones');
    }
  }
  const processes = await spawnProcesses({ spawner: deps.client, modules: deps.modules, scheduler: deps.scheduler, worker: deps.worker, authority: deps.authority });
  await recordDeployment(deps.dataDir, { network: deps.network, modules: deps.modules, processes, worker: deps.worker, scheduler: deps.scheduler, authority: deps.authority, createdAt: new Date().toISOString() });
  deps.logger.info(`spawned AO processes: understanding=${processes.understanding} sentiment=${processes.sentiment} generation=${processes.generation}`);
  return processes;
}
