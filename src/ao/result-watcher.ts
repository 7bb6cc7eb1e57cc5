/**
 * Follows a process's results (CU `/results`) from a cursor and hands outbox messages to
 * whoever waits for them. One poller per process serves every concurrent turn.
 *
 * A waiter can be settled: the caller knows that everything which could produce the awaited
 * message is already in the process's schedule (the embedded node schedules an outbox push
 * before it answers the pushing message's `/result`, and its `/results` evaluates up to the
 * schedule's head, as the stock CU does). The first poll that starts after that and finds no
 * match ends the wait at once, with what the process said meanwhile (errors, refusals),
 * instead of after the timeout.
 */
import type { Logger } from '../logger.js';
import { AoPipelineError } from './pipeline-error.js';
import type { OutboxMessage } from './protocol.js';


export interface ResultNode {
  Messages?: OutboxMessage[];
  Output?: unknown;
  Error?: unknown;
}

export interface AoResultsReader {
  results(process: string, opts: { from?: string; limit?: number; sort?: 'ASC' | 'DESC' }): Promise<{
    edges: Array<{ cursor: string; node: ResultNode }>;
  }>;
}

interface Waiter {
  match(message: OutboxMessage): boolean;
  resolve(message: OutboxMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  /** The first poll round whose empty answer is final (see the module comment). */
  settledFrom?: number;
  /** Errors and refusals the process reported while this waiter waited. */
  notes: string[];
}

const PAGE = 100;
const MAX_NOTES = 3;
/** Consecutive failed polls after which the node counts as unreachable. */
const FAILED_POLLS_LIMIT = 2;

/** An error or a refusal in a result, in a line; undefined for an ordinary result. */
function noteOf(node: ResultNode): string | undefined {
  if (node.Error !== undefined && node.Error !== null && node.Error !== '') {
    const text = typeof node.Error === 'string' ? node.Error : JSON.stringify(node.Error);
    return `Error: ${text.slice(0, 200)}`;
  }
  if (typeof node.Output === 'string' && /^"?refused/.test(node.Output)) return node.Output.replace(/^"|"$/g, '').slice(0, 200);
  return undefined;
}

function end(waiters: Set<Waiter>, waiter: Waiter): void {
  waiters.delete(waiter);
  clearTimeout(waiter.timer);
}

/** Hands a result's messages to the waiters they match; its error or refusal is noted for all. */
function take(waiters: Set<Waiter>, node: ResultNode): void {
  const note = noteOf(node);
  if (note) for (const waiter of waiters) if (waiter.notes.length < MAX_NOTES) waiter.notes.push(note);
  for (const message of node.Messages ?? []) {
    for (const waiter of waiters) {
      if (!waiter.match(message)) continue;
      end(waiters, waiter);
      waiter.resolve(message);
    }
  }
}

/** Ends the settled waiters that a whole poll round has not answered (see the module comment). */
function rejectSettled(waiters: Set<Waiter>, thisRound: number, what: string): void {
  for (const waiter of waiters) {
    if (waiter.settledFrom === undefined || waiter.settledFrom > thisRound) continue;
    end(waiters, waiter);
    const said = waiter.notes.length > 0 ? `; it said: ${waiter.notes.join(' | ')}` : '';
    waiter.reject(new AoPipelineError(`${what} evaluated everything it was sent for this turn and did not answer${said}`, { hint: 'see the AO node log for the failed evaluation' }));
  }
}

/** Hands every result after `from` to the waiters, page by page, moving the cursor as it goes. */
async function readAfter(deps: { reader: AoResultsReader; process: string }, from: string | undefined, waiters: Set<Waiter>, moveTo: (cursor: string) => void): Promise<void> {
  for (let cursor = from; ; ) {
    const page = await deps.reader.results(deps.process, { sort: 'ASC', limit: PAGE, ...(cursor ? { from: cursor } : {}) });
    for (const edge of page.edges) {
      cursor = edge.cursor;
      moveTo(cursor);
      take(waiters, edge.node);
    }
    if (page.edges.length < PAGE) return;
  }
}

function rejectAll(waiters: Set<Waiter>, error: AoPipelineError): void {
  for (const waiter of [...waiters]) {
    end(waiters, waiter);
    waiter.reject(error);
  }
}

/** A waiter that gives up after `timeoutMs`, added to `waiters`. */
function addWaiter(waiters: Set<Waiter>, match: (message: OutboxMessage) => boolean, timeoutMs: number, what: string): { waiter: Waiter; promise: Promise<OutboxMessage> } {
  let waiter!: Waiter;
  const promise = new Promise<OutboxMessage>((resolve, reject) => {
    waiter = {
      match,
      resolve,
      reject,
      notes: [],
      timer: setTimeout(() => {
        waiters.delete(waiter);
        reject(new AoPipelineError(`no answer from ${what} within ${timeoutMs} ms`, { hint: 'is the AO node running? see its log' }));
      }, timeoutMs),
    };
  });
  waiters.add(waiter);
  return { waiter, promise };
}

export function createResultWatcher(deps: { reader: AoResultsReader; process: string; pollMs: number; logger: Logger; what?: string }) {
  const what = deps.what ?? `process ${deps.process}`;
  const waiters = new Set<Waiter>();
  let cursor: string | undefined;
  let started: Promise<void> | undefined;
  let polling = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let round = 0;
  let failedPolls = 0;

  // Start from the newest result so old turns are not scanned again.
  const init = async () => {
    cursor = (await deps.reader.results(deps.process, { sort: 'DESC', limit: 1 })).edges[0]?.cursor;
  };

  async function poll(): Promise<void> {
    if (polling || closed) return;
    polling = true;
    const thisRound = ++round;
    try {
      await (started ??= init());
      await readAfter(deps, cursor, waiters, (next) => (cursor = next));
      failedPolls = 0;
      rejectSettled(waiters, thisRound, what);
    } catch (error) {
      started = undefined;
      deps.logger.debug(`results of ${deps.process}: ${String(error)}`);
      if (++failedPolls >= FAILED_POLLS_LIMIT) {
        rejectAll(waiters, new AoPipelineError(`cannot read the results of ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error, hint: 'is the AO node running? see its log' }));
      }
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
    ready: (): Promise<void> =>
      (started ??= init()).catch((error: unknown) => {
        started = undefined;
        throw error;
      }),
    /**
     * Waits for the first message matching `match`. `settle` says that its inputs are all
     * scheduled, so that a poll finding nothing ends the wait; `cancel` stops waiting.
     */
    waitFor(match: (message: OutboxMessage) => boolean, timeoutMs: number) {
      const { waiter, promise } = addWaiter(waiters, match, timeoutMs, what);
      schedule();
      return {
        promise,
        settle() {
          // A poll already running may have asked before the inputs were scheduled.
          waiter.settledFrom ??= round + 1;
        },
        cancel() {
          end(waiters, waiter);
          promise.catch(() => undefined);
        },
      };
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      rejectAll(waiters, new AoPipelineError('the AO pipeline was closed'));
    },
  };
}
