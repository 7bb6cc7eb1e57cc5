/**
 * The turn pipeline over AO: Analyze goes to Understanding and Sentiment in parallel, both
 * answer Generation (Reply-To), Generation emits an Inference-Request to this worker; after
 * inference the worker posts an Inference-Result and Generation emits Reply. Implements the
 * conversation service's AnalysisPort.
 */
import type { z } from 'zod';
import type { Analysis, AnalysisPort } from '../conversation/ports.js';
import { tagValue as tag, type Tag } from '../arweave/tag.js';
import type { Logger } from '../logger.js';
import { describeError } from '../errors.js';
import { AoPipelineError } from './pipeline-error.js';
import { createResultWatcher, type AoResultsReader } from './result-watcher.js';
import { inferenceRequestSchema, sentimentSchema, understandingSchema, type OutboxMessage } from './protocol.js';

export interface AoMessenger extends AoResultsReader {
  send(input: { process: string; tags: Tag[]; data: string }): Promise<string>;
  result(process: string, id: string): Promise<{ Messages?: OutboxMessage[]; Error?: unknown }>;
}

export interface PipelineProcesses {
  understanding: string;
  sentiment: string;
  generation: string;
}

export interface PipelineDeps {
  ao: AoMessenger;
  processes: PipelineProcesses;
  logger: Logger;
  /** How long to wait for Generation's plan before answering without it. */
  timeoutMs?: number;
  /**
   * The network schedules a process's outbox messages before it answers that process's
   * `/result` (the embedded node does; a public MU pushes later). Then Generation's silence
   * once both analyses are in is final, and the turn goes on at once instead of at the timeout.
   */
  pushesBeforeResult?: boolean;
  pollMs?: number;
}

export { AoPipelineError };

/** A message's JSON data, checked against the protocol's schema for it. */
function parseData<T>(data: unknown, schema: z.ZodType<T>, what: string): T {
  if (typeof data !== 'string') throw new AoPipelineError(`${what}: the message carried no JSON data`);
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    throw new AoPipelineError(`${what}: the message data is not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new AoPipelineError(`${what}: the message does not follow the protocol (${issues.join('; ')}); deploy processes built from this version`);
  }
  return parsed.data;
}

/** The analysis in a process's result: its Analyzed message's JSON. */
async function analysisFrom<T>(ao: AoMessenger, process: string, id: string, what: string, schema: z.ZodType<T>): Promise<T> {
  const result = await ao.result(process, id);
  if (result.Error) throw new AoPipelineError(`${what} failed: ${JSON.stringify(result.Error).slice(0, 200)}`);
  const answer = result.Messages?.find((m) => tag(m.Tags, 'Action') === 'Analyzed');
  if (!answer) throw new AoPipelineError(`${what} sent no Analyzed message`);
  return parseData(answer.Data, schema, what);
}

export function createAoPipeline(deps: PipelineDeps): AnalysisPort & { close(graceMs?: number): Promise<void> } {
  const { ao, processes } = deps;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const watcher = createResultWatcher({ reader: ao, process: processes.generation, pollMs: deps.pollMs ?? 15, logger: deps.logger, what: 'Generation' });
  const confirmations = new Set<Promise<void>>();

  return {
    async analyze({ turnId, text, conversation }): Promise<Analysis> {
      // The watcher must know where the results end before our messages can add to them.
      await watcher.ready();
      const planned = watcher.waitFor((m) => tag(m.Tags, 'Action') === 'Inference-Request' && tag(m.Tags, 'Turn-Id') === turnId, timeoutMs);
      const tags: Tag[] = [
        { name: 'Action', value: 'Analyze' },
        { name: 'Turn-Id', value: turnId },
        { name: 'Conversation', value: conversation },
        { name: 'Reply-To', value: processes.generation },
      ];
      try {
        const [understandingId, sentimentId] = await Promise.all([
          ao.send({ process: processes.understanding, tags, data: text }),
          ao.send({ process: processes.sentiment, tags, data: text }),
        ]);
        const analyses = Promise.all([
          analysisFrom(ao, processes.understanding, understandingId, 'Understanding', understandingSchema),
          analysisFrom(ao, processes.sentiment, sentimentId, 'Sentiment', sentimentSchema),
        ]);
        if (deps.pushesBeforeResult) analyses.then(() => planned.settle(), () => undefined);
        const [[understanding, sentiment], request] = await Promise.all([analyses, planned.promise]);
        const { plan } = parseData(request.Data, inferenceRequestSchema, 'Inference-Request');
        return {
          understanding,
          sentiment,
          plan,
          ao: { understanding: understandingId, sentiment: sentimentId, generation: processes.generation },
        };
      } catch (error) {
        planned.cancel();
        throw error;
      }
    },

    async commit({ turnId, replyHash, promptHash, tokens }) {
      const replied = watcher.waitFor((m) => tag(m.Tags, 'Action') === 'Reply' && tag(m.Tags, 'Turn-Id') === turnId, timeoutMs);
      let id: string;
      try {
        id = await ao.send({
          process: processes.generation,
          tags: [
            { name: 'Action', value: 'Inference-Result' },
            { name: 'Turn-Id', value: turnId },
          ],
          data: JSON.stringify({ turnId, replyHash, promptHash, tokens }),
        });
      } catch (error) {
        // Nothing was sent: no Reply will come, and its wait must not end as an unhandled rejection.
        replied.cancel();
        throw error;
      }
      // The Reply confirms the turn on AO; the channel already has the text, so nobody waits.
      const confirmation = replied.promise.then(
        () => deps.logger.debug(`turn ${turnId}: Generation replied`),
        (error: unknown) => deps.logger.warn(`turn ${turnId}: no Reply from Generation: ${describeError(error)}`),
      );
      confirmations.add(confirmation);
      void confirmation.finally(() => confirmations.delete(confirmation));
      return { inferenceResult: id };
    },

    /** Waits a little for Replies still on their way (a one-shot chat stops right after its turn). */
    async close(graceMs = 3000) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(confirmations), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      watcher.close();
    },
  };
}
