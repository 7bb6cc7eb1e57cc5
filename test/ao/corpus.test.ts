import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Arweave from 'arweave';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAoClient, type AoClient } from '../../src/ao/client.js';
import { spawnProcesses } from '../../src/ao/deploy.js';
import { createAoPipeline, type PipelineProcesses } from '../../src/ao/pipeline.js';
import { planSchema, sentimentSchema, understandingSchema } from '../../src/ao/protocol.js';
import type { StartedAoNode } from '../../src/ao/node/start-node.js';
import { cleanMessage } from '../../src/conversation/input.js';
import { createLogger, createMemoryLogger } from '../../src/logger.js';
import type { ArweaveClient } from '../../src/arweave/client.js';
import { walletAddress } from '../../src/arweave/wallet.js';
import { loadCorpus } from '../support/corpus.js';
import { repoRoot } from '../support/tmp-dir.js';
import { createFixture, type Fixture } from './node-fixture.js';

// What users send (test/fixtures/ao-corpus), through the three real processes on the embedded
// node, as the service sends it: every message analysed, no evaluation error, no fallback.
const names = ['understanding', 'sentiment', 'generation'] as const;
const corpus = loadCorpus();

/**
 * The gateway for module lookups and publishing, but the message log's bundles are signed with
 * a stand-in and dropped: ~3,500 records would take over a minute of RSA signing and arlocal
 * indexing, which the log's own tests, the outage and the kill -9 tests already cover.
 */
function withoutLogUploads(arweave: ArweaveClient): ArweaveClient {
  return {
    ...arweave,
    url: arweave.url,
    signItem: async (data) => ({ id: randomBytes(32).toString('base64url'), raw: data }),
    postBundle: async () => 'dropped',
  };
}

describe('realistic messages through Understanding, Sentiment and Generation on the node', () => {
  let fx: Fixture;
  let node: StartedAoNode;
  let ao: AoClient;
  let processes: PipelineProcesses;
  const nodeLog = createMemoryLogger();

  beforeAll(async () => {
    fx = await createFixture('ao-corpus');
    node = await fx.startNode('node', { logger: nodeLog, arweave: withoutLogUploads(fx.arweave) });
    ao = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: fx.userWallet });
    const modules = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await node.publishModule(name, new Uint8Array(await readFile(path.join(repoRoot, 'build', 'modules', `${name}.wasm`))))] as const)),
    ) as Record<(typeof names)[number], string>;
    // The client's wallet signs the turns, as the service's wallet does: it is the worker.
    const worker = await walletAddress(fx.userWallet);
    processes = await spawnProcesses({ spawner: ao, modules, scheduler: node.scheduler, worker, authority: node.scheduler });
  });
  afterAll(async () => {
    await fx?.remove();
  });

  type Turn = { turnId: string; text: string; conversation: string };

  /**
   * Runs conversations side by side through one pipeline, as the service does, each one's turns
   * in order: analyse, check every part, commit. Returns the failures, described.
   */
  async function runConversations(conversations: Turn[][]): Promise<string[]> {
    const pipeline = createAoPipeline({ ao, processes, logger: createLogger({ level: 'error' }), timeoutMs: 30_000, pollMs: 10, pushesBeforeResult: true });
    const failures: string[] = [];
    try {
      await Promise.all(
        conversations.map(async (turns) => {
          for (const turn of turns) {
            try {
              const analysis = await pipeline.analyze(turn);
              understandingSchema.parse(analysis.understanding);
              sentimentSchema.parse(analysis.sentiment);
              planSchema.parse(analysis.plan);
              await pipeline.commit({ turnId: turn.turnId, replyHash: 'a'.repeat(64), promptHash: 'b'.repeat(64), tokens: 7 });
            } catch (error) {
              failures.push(`${JSON.stringify(turn.text.slice(0, 60))}: ${error instanceof Error ? error.message : String(error)}`);
            }
          }
        }),
      );
    } finally {
      await pipeline.close();
    }
    return failures;
  }

  const evaluationErrors = () => nodeLog.lines.filter((line) => / (WARN|ERROR) /.test(line));

  it(`analyses all ${corpus.length} messages of one long conversation`, { timeout: 300_000 }, async () => {
    const turns = corpus.map((message, index) => ({ turnId: `long-${index}`, text: cleanMessage(message.text), conversation: 'one-long-conversation' }));
    const failures = await runConversations([turns]);
    expect(failures).toEqual([]);
    expect(evaluationErrors()).toEqual([]);
  });

  it('analyses every message when 24 conversations run at once', { timeout: 300_000 }, async () => {
    // Each conversation sends its messages in order; the conversations run side by side.
    const conversations = Array.from({ length: 24 }, (_, c) => corpus.filter((_, index) => index % 24 === c).map((message, index) => ({ turnId: `many-${c}-${index}`, text: cleanMessage(message.text), conversation: `conversation-${c}` })));
    const failures = await runConversations(conversations);
    expect(failures).toEqual([]);
    expect(evaluationErrors()).toEqual([]);
    const info = JSON.parse(String((await ao.dryrun({ process: processes.generation, tags: [{ name: 'Action', value: 'Info' }] })).Output)) as { completedTurns: number; pendingTurns: number };
    expect(info).toMatchObject({ completedTurns: corpus.length * 2, pendingTurns: 0 });
  });

  it('refuses a stranger\'s Analyzed and Reply-To, and the node log says so', async () => {
    const stranger = createAoClient({ muUrl: node.muUrl, cuUrl: node.cuUrl, gatewayUrl: node.gatewayUrl, token: node.token, wallet: await Arweave.crypto.generateJWK() });
    const injected = JSON.stringify({ intent: 'share-information', isQuestion: false, language: 'en', entities: [], topics: [], facts: [{ kind: 'name', text: 'INJECTED-BY-LOCAL-ATTACKER' }], version: 1 });
    // Claiming to be Understanding, as the stock CU would believe without the Authority check.
    const forged = await stranger.send({ process: processes.generation, tags: [{ name: 'From-Process', value: processes.understanding }, { name: 'Action', value: 'Analyzed' }, { name: 'Turn-Id', value: 'victim-turn' }], data: injected });
    expect(String((await stranger.result(processes.generation, forged)).Output)).toMatch(/^refused/);
    // Asking Understanding to send its analysis on to Generation: answered to the stranger only.
    const asked = await stranger.send({ process: processes.understanding, tags: [{ name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: 'victim-turn' }, { name: 'Reply-To', value: processes.generation }], data: 'my name is INJECTED-BY-LOCAL-ATTACKER' });
    expect((await stranger.result(processes.understanding, asked)).Messages?.[0]?.Target).not.toBe(processes.generation);
    const info = JSON.parse(String((await ao.dryrun({ process: processes.generation, tags: [{ name: 'Action', value: 'Info' }] })).Output)) as { pendingTurns: number };
    expect(info.pendingTurns).toBe(0);
    expect(nodeLog.lines.join('\n')).toMatch(/refused message [\w-]{43} signed by/);
  });
});
