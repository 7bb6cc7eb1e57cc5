/**
 * Follows a process's results (CU `/results`) from a cursor and hands outbox messages to
 * whoever waits for them. One poller per process serves every concurrent turn.
 */
import type { Logger } from '../logger.js';
import { AoPipelineError } from './pipeline-error.js';

export interface OutboxMessage {
  Target?: string;
  Tags?: Array<{ name: string; value: string }>;
  Data?: unknown;
}

export interface AoResultsReader {
  results(process: string, opts: { from?: string; limit?: number; sort?: 'ASC' | 'DESC' }): Promise<{
    edges: Array<{ cursor: string; node: { Messages?: OutboxMessage[] } }>;
  }>;
}

interface Waiter {
  match(message: OutboxMessage): boolean;
  resolve(message: OutboxMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function createResultWatcher(deps: { reader: AoResultsReader; process: string; pollMs: number; logger: Logger }) {
  const waiters = new Set<Waiter>();
  let cursor: string | undefined;
  let started: Promise<void> | undefined;
  let polling = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  // Start from the newest result so old turns are not scanned again.
  async function init(): Promise<void> {
    const latest = await deps.reader.results(deps.process, { sort: 'DESC', limit: 1 });
    cursor = latest.edges[0]?.cursor;
  }

  async function poll(): Promise<void> {
    if (polling || closed) return;
    polling = true;
    try {
      await (started ??= init());
      for (;;) {
        const page = await deps.reader.results(deps.process, { sort: 'ASC', limit: 100, ...(cursor ? { from: cursor } : {}) });
        for (const edge of page.edges) {
          cursor = edge.cursor;
          for (const message of edge.node.Messages ?? []) {
            for (const waiter of waiters) {
              if (waiter.match(message)) {
                waiters.delete(waiter);
                clearTimeout(waiter.timer);
                waiter.resolve(message);
              }
            }
          }
        }
        if (page.edges.length < 100) break;
      }
    } catch (error) {
      started = undefined;
      deps.logger.debug(`results of ${deps.process}: ${String(error)}`);
    } finally {
      polling = false;
      schedule();
    }
  }

  function schedule(): void {
    if (closed || waiters.size === 0 || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void poll();
    }, deps.pollMs);
  }

  return {
    /** Resolves once the starting cursor is known; call before sending what will be awaited. */
    async ready(): Promise<void> {
      try {
        await (started ??= init());
      } catch (error) {
        started = undefined;
        throw error;
      }
    },
    /** Waits for the first message matching `match`; `cancel` stops waiting. */
    waitFor(match: (message: OutboxMessage) => boolean, timeoutMs: number) {
      let waiter!: Waiter;
      const promise = new Promise<OutboxMessage>((resolve, reject) => {
        waiter = {
          match,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new AoPipelineError(`no answer from process ${deps.process} within ${timeoutMs} ms`, { hint: 'is the AO node running? see its log' }));
          }, timeoutMs),
        };
      });
      waiters.add(waiter);
      schedule();
      return {
        promise,
        cancel() {
          waiters.delete(waiter);
          clearTimeout(waiter.timer);
          promise.catch(() => undefined);
        },
      };
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new AoPipelineError('the AO pipeline was closed'));
      }
      waiters.clear();
    },
  };
}
