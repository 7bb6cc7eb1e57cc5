/**
 * AO evaluation: per-message time inside the embedded node (p50, p99) and messages per second
 * through aoconnect, against the same module evaluated directly with ao-loader (no node); the
 * node's restart with its local state against a restart from Arweave alone.
 */
import path from 'node:path';
import type { ArweaveClient } from '../arweave/client.js';
import type { JWKInterface } from '../arweave/wallet.js';
import { createAoClient } from '../ao/client.js';
import { loadModuleBytes } from '../ao/modules.js';
import { measureEvaluation } from '../ao/node/measure.js';
import { startAoNode } from '../ao/node/start-node.js';
import type { Keyed } from '../app/keyed-secrets.js';
import type { Logger } from '../logger.js';
import { mean, percentile, ratio, round } from './stats.js';

const SAMPLES = [
  'my name is Alice and I love sailing', 'what time is it in Tokyo?', 'this bot is useless, it never works',
  'thanks so much 😊', 'can you remind me to call Maria tomorrow at 5pm', 'Je suis très content aujourd\'hui',
];

export async function benchAo(deps: { dataDir: string; arweave: ArweaveClient; wallet: JWKInterface; keyed: Keyed; logger: Logger; messages: number }) {
  const analyze = (i: number) => ({ tags: [{ name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: `bench-${i}` }], data: SAMPLES[i % SAMPLES.length] as string });
  const direct = await measureEvaluation({ bytes: await loadModuleBytes('sentiment'), messages: Array.from({ length: deps.messages }, (_, i) => analyze(i)) });
  const directUnderstanding = await measureEvaluation({ bytes: await loadModuleBytes('understanding'), messages: Array.from({ length: deps.messages }, (_, i) => analyze(i)) });

  const timings: number[] = [];
  const startNode = (dir: string) => startAoNode({
    dataDir: path.join(deps.dataDir, dir), arweave: deps.arweave, wallet: deps.wallet,
    cipher: deps.keyed.cipher, pseudonym: deps.keyed.processPseudonym, privateMode: true, logger: deps.logger,
    onEvaluated: (timing) => timings.push(timing.ms),
  });
  const node = await startNode('bench-ao');
  let stopped = false;
  try {
    const client = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: deps.wallet });
    const moduleId = await node.publishModule('permachat-sentiment', await loadModuleBytes('sentiment'));
    const process = await client.spawn({ module: moduleId, scheduler: node.scheduler, tags: [{ name: 'Name', value: 'bench' }] });
    await client.result(process, process).catch(() => undefined);
    timings.length = 0;
    const started = performance.now();
    for (let i = 0; i < deps.messages; i++) {
      const message = analyze(i);
      const id = await client.send({ process, tags: message.tags, data: message.data });
      await client.result(process, id);
    }
    const seconds = (performance.now() - started) / 1000;
    const nodeRate = deps.messages / seconds;
    const directRate = 1000 / mean(direct.perMessageMs);
    const nodeTimings = [...timings];
    await node.stop();
    stopped = true;
    // Restart to a ready state: with this machine's journal, receipts and checkpoints, against a
    // new machine that has only Arweave (reads every record back and replays from the spawn).
    const restart = async (dir: string) => {
      const begun = performance.now();
      const again = await startNode(dir);
      await again.node.idle();
      const ms = performance.now() - begun;
      await again.stop();
      return ms;
    };
    const restartLocalMs = await restart('bench-ao');
    const restartFromArweaveMs = await restart('bench-ao-new-machine');
    return {
      messages: deps.messages,
      nodeEvalP50Ms: round(percentile(nodeTimings, 50)),
      nodeEvalP99Ms: round(percentile(nodeTimings, 99)),
      directEvalP50Ms: round(percentile(direct.perMessageMs, 50)),
      directEvalP99Ms: round(percentile(direct.perMessageMs, 99)),
      evalP50Ratio: ratio(percentile(nodeTimings, 50), percentile(direct.perMessageMs, 50)),
      evalP99Ratio: ratio(percentile(nodeTimings, 99), percentile(direct.perMessageMs, 99)),
      nodeMessagesPerSecond: round(nodeRate, 1),
      directMessagesPerSecond: round(directRate, 1),
      throughputRatio: ratio(nodeRate, directRate),
      understandingDirectP50Ms: round(percentile(directUnderstanding.perMessageMs, 50)),
      sentimentDirectP50Ms: round(percentile(direct.perMessageMs, 50)),
      restartLocalMs: round(restartLocalMs),
      restartFromArweaveMs: round(restartFromArweaveMs),
      restartRatio: ratio(restartLocalMs, restartFromArweaveMs),
    };
  } finally {
    if (!stopped) await node.stop();
  }
}
