/**
 * What `/health` says of the running bot beyond "up": how much memory and AO log is waiting for
 * Arweave, so an operator sees a gateway outage (the bot keeps answering through one) and its
 * end, and how many turns went without the AO analysis since start. Counts only, nothing of any user.
 */
import type { Runtime } from './runtime.js';

export type Health = {
  /** How records reach Arweave; the memory and AO counts below are its backlog. */
  arweave: { uploader: 'bundle' | 'turbo' };
  memory: { waitingForArweave: number; failedSends: number };
  turns: { total: number; answeredWithoutAo: number; aoFailures: number };
  /** The embedded AO node's message log (absent with a remote AO network). */
  ao?: { waitingForArweave: number };
};

export async function healthOf(runtime: Pick<Runtime, 'config' | 'memory' | 'ao' | 'conversation'>): Promise<Health> {
  const { memory } = runtime;
  const node = runtime.ao?.node;
  const turns = runtime.conversation.stats();
  return {
    arweave: { uploader: runtime.config.ARWEAVE_UPLOAD },
    memory: { waitingForArweave: await memory.waiting(), failedSends: memory.stats().outbox.failures },
    turns: { total: turns.turns, answeredWithoutAo: turns.answeredWithoutAo, aoFailures: turns.aoFailures },
    ...(node ? { ao: { waitingForArweave: node.waitingForArweave() } } : {}),
  };
}
