/**
 * AO evaluation: per-message time inside the embedded node (p50, p99) and messages per second
 * through aoconnect, against the same module evaluated directly with ao-loader (no node); the
 * node's restart with its local state against a restart from Arweave alone.
 */
import path from 'node:path';
import type { ArweaveClient } from '../../arweave/client.js';
import type { JWKInterface } from '../../arweave/wallet.js';
import { createAoClient, type AoClient } from '../../ao/client.js';
import { mapLimited } from '../../concurrency.js';
import { loadModuleBytes } from '../../ao/modules.js';
import { measureEvaluation } from '../../ao/node/measure.js';
import { startAoNode, type StartedAoNode } from '../../ao/node/start-node.js';
import type { Keyed } from '../../app/keyed-secrets.js';
import type { Logger } from '../../logger.js';
import { mean, percentile, ratio, round } from './stats.js';

const SAMPLES = [
  'my name is Alice and I love sailing', 'what time is it in Tokyo?', 'this bot is useless, it never works',
  'thanks so much 😊', 'can you remind me to call Maria tomorrow at 5pm', 'Je suis très content aujourd\'hui',
];

const IN_FLIGHT = 50;

/**
 * Messages per second with 50 in flight against one at a time, over the same two independent
 * processes (Sentiment and Understanding, as a turn uses them), send + result each.
 */
async function benchInFlight(
  client: AoClient,
  node: StartedAoNode,
  sentiment: string,
  messages: number,
  analyze: (i: number) => { tags: Array<{ name: string; value: string }>; data: string },
) {
  const moduleId = await node.publishModule('permachat-understanding', await loadModuleBytes('understanding'));
  const understanding = await client.spawn({ module: moduleId, scheduler: node.scheduler, tags: [{ name: 'Name', value: 'bench-understanding' }] });
  const processes = [sentiment, understanding];
  const one = async (i: number) => {
    const message = analyze(i);
    const process = processes[i % processes.length] as string;
    await client.result(process, await client.send({ process, tags: message.tags, data: message.data }));
  };
  const indexes = Array.from({ length: messages }, (_, i) => i);
  let begun = performance.now();
  for (const i of indexes) await one(i);
  const sequential = messages / ((performance.now() - begun) / 1000);
  begun = performance.now();
  await mapLimited(indexes, IN_FLIGHT, one);
  const concurrent = messages / ((performance.now() - begun) / 1000);
  return {
    sequentialMessagesPerSecond: round(sequential, 1),
    concurrent50MessagesPerSecond: round(concurrent, 1),
    concurrent50Ratio: ratio(concurrent, sequential),
  };
}

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
    const inFlight = await benchInFlight(client, node, process, deps.messages, analyze);
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
      ...inFlight,
    };
  } finally {
    if (!stopped) await node.stop();
  }
}
