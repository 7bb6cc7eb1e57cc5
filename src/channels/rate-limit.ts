/** A fixed-window limiter per key (session, IP, chat): bounded in memory, old windows dropped. */
export interface RateLimiter {
  /** undefined when allowed; otherwise seconds until the next message is accepted. */
  check(key: string): number | undefined;
}

export function createRateLimiter(opts: { perMinute: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 50_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    check(key) {
      const t = now();
      let window = windows.get(key);
      if (!window || t - window.start >= 60_000) {
        window = { start: t, count: 0 };
        windows.delete(key);
        windows.set(key, window);
        if (windows.size > maxKeys) windows.delete(windows.keys().next().value as string);
      }
      if (window.count >= opts.perMinute) return Math.max(1, Math.ceil((window.start + 60_000 - t) / 1000));
      window.count += 1;
      return undefined;
    },
  };
}
