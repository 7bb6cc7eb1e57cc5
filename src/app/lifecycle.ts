/**
 * Parts started at most once, on first use, and stopped in the reverse order they came up (a
 * part comes up after what it uses, so it stops before it). Closing waits for parts still
 * starting, so one that comes up while another fails is stopped too, not left running.
 */
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface Lifecycle {
  /** A getter that starts the part on its first call and gives every caller the same one. */
  once<T>(start: () => Promise<T>, stop?: (part: T) => Promise<void>): () => Promise<T>;
  /** Stops every part started so far; later calls wait for the same stop. */
  close(): Promise<void>;
}

export function createLifecycle(logger: Logger): Lifecycle {
  const starting: Array<Promise<unknown>> = [];
  const stops: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;

  const settleAll = async () => {
    // A part may start another while it comes up: wait until none is left starting.
    for (let seen = -1; seen !== starting.length; ) {
      seen = starting.length;
      await Promise.allSettled(starting);
    }
  };

  return {
    once(start, stop) {
      let pending: ReturnType<typeof start> | undefined;
      return () => {
        if (pending) return pending;
        if (closing) return Promise.reject(new Error('this command is shutting down: no part starts now'));
        pending = start().then((part) => {
          if (stop) stops.push(() => stop(part));
          return part;
        });
        starting.push(pending);
        return pending;
      };
    },
    close() {
      closing ??= (async () => {
        await settleAll();
        for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.warn(`shutdown: ${describeError(error)}`));
      })();
      return closing;
    },
  };
}
