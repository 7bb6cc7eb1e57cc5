/**
 * What `/health` says of the running bot beyond "up": how much memory is waiting for Arweave,
 * so an operator sees a gateway outage (the bot keeps answering through one) and its end.
 * Counts only, nothing of any user.
 */
import type { Runtime } from './runtime.js';

export async function healthOf(runtime: Pick<Runtime, 'memory'>): Promise<{ memory: { waitingForArweave: number; failedSends: number } }> {
  const { memory } = runtime.memory;
  return { memory: { waitingForArweave: await memory.waiting(), failedSends: memory.stats().outbox.failures } };
}
