/**
 * `permachat ao-node`: the embedded AO node alone, with the three processes spawned, until
 * SIGTERM. Prints the URLs and ids an aoconnect user needs, one `NAME=value` per line.
 */
import { compose } from '../../app/compose.js';
import { print, type Command } from '../io.js';
import { configFromIo, loggerFor } from '../context.js';

export const aoNodeCommand: Command = async (_args, io) => {
  const config = configFromIo(io, { AO_MODE: 'embedded' });
  const logger = loggerFor(config, io);
  const parts = compose(config, logger, { cwd: io.cwd });
  try {
    const ao = await parts.ao();
    print(io.stdout, [
      `MU_URL=${ao.urls.mu}`,
      `CU_URL=${ao.urls.cu}`,
      `GATEWAY_URL=${ao.urls.gateway}`,
      `PROCESS_UNDERSTANDING=${ao.processes.understanding}`,
      `PROCESS_SENTIMENT=${ao.processes.sentiment}`,
      `PROCESS_GENERATION=${ao.processes.generation}`,
      // Clients send it as Authorization: Bearer (permachat: AO_NODE_TOKEN).
      `TOKEN=${ao.token ?? ''}`,
      // The node is the MU too: deploy elsewhere with AO_AUTHORITY set to this address.
      `AUTHORITY=${ao.node?.address ?? ''}`,
      `SCHEDULER=${ao.node?.address ?? ''}`,
    ].join('\n'));
    const signal = await io.stopSignal;
    logger.info(`${signal}: stopping the AO node (the message log is flushed to Arweave)`);
    return 0;
  } finally {
    await parts.close();
  }
};
