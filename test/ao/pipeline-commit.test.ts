import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAoPipeline, type AoMessenger } from '../../src/ao/pipeline.js';
import { UnreachableError } from '../../src/errors.js';
import { createMemoryLogger } from '../../src/logger.js';

// A commit whose Inference-Result cannot be sent fails at once, and the Reply it would have
// waited for does not turn into an unhandled rejection when its timeout passes (seen under load).
describe('the turn pipeline commit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails when the Inference-Result cannot be sent, leaving no wait behind', async () => {
    vi.useFakeTimers();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ao: AoMessenger = {
        send: async () => {
          throw new UnreachableError('ao', 'http://127.0.0.1:9/mu');
        },
        result: async () => ({ Messages: [] }),
        results: async () => ({ edges: [] }),
      };
      const pipeline = createAoPipeline({ ao, processes: { understanding: 'u'.repeat(43), sentiment: 's'.repeat(43), generation: 'g'.repeat(43) }, logger: createMemoryLogger(), timeoutMs: 1_000, pollMs: 10 });
      await expect(pipeline.commit({ turnId: 'turn-of-ana', replyHash: 'a'.repeat(64), promptHash: 'b'.repeat(64), tokens: 12 })).rejects.toThrow(/unreachable/);
      await vi.advanceTimersByTimeAsync(5_000);
      vi.useRealTimers();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      await pipeline.close(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
