/** Work that runs after a turn's reply is out (plugin evaluators): failures are logged, close() waits for it. */
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface BackgroundWork {
  track(work: Promise<unknown>): void;
  /** Resolves once everything tracked so far has finished. */
  settled(): Promise<void>;
}

export function createBackgroundWork(log: Logger): BackgroundWork {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const done = work.catch((error: unknown) => log.warn(`after-turn work failed: ${describeError(error)}`)).finally(() => running.delete(done));
      running.add(done);
    },
    async settled() {
      await Promise.all([...running]);
    },
  };
}
