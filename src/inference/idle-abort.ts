/**
 * The stop handling of a streamed request: one signal that aborts when the caller's signal does
 * (with its reason) or when no byte has arrived for `timeoutMs` (with a timeout error).
 */
export interface IdleAbort {
  readonly signal: AbortSignal;
  /** Something arrived: the idle time starts again. */
  touch(): void;
  /** Stops the timer and lets go of the caller's signal. */
  dispose(): void;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function idleAbort(caller: AbortSignal | undefined, timeoutMs: number, timers: Timers = realTimers): IdleAbort {
  const controller = new AbortController();
  const abort = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', abort, { once: true });
  const arm = () => timers.setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
  let idle = arm();
  return {
    signal: controller.signal,
    touch() {
      timers.clearTimeout(idle);
      idle = arm();
    },
    dispose() {
      timers.clearTimeout(idle);
      caller?.removeEventListener('abort', abort);
    },
  };
}
