import { describe, expect, it } from 'vitest';
import { createConversationQueue } from '../../src/inference/conversation-queue.js';
import { idleAbort, type Timers } from '../../src/inference/idle-abort.js';
import { keepFor, type TokenRange } from '../../src/inference/kept-tokens.js';
import { leaseSequenceWith } from '../../src/inference/sequence-lease.js';
import { createSequenceSlots } from '../../src/inference/sequence-slots.js';

/** A context sequence that records what is done to it. */
function fakeSequence(name: string, tokens: number[] = []) {
  return {
    name,
    contextTokens: tokens,
    cleared: 0,
    erased: [] as TokenRange[][],
    async clearHistory() {
      this.cleared++;
      this.contextTokens = [];
    },
    async eraseContextTokenRanges(ranges: TokenRange[]) {
      this.erased.push(ranges);
      for (const { start, end } of [...ranges].reverse()) this.contextTokens.splice(start, end - start);
    },
  };
}

describe('lending sequences to calls', () => {
  it('clears another conversation\'s tokens before use and forgets its prefill', async () => {
    const only = fakeSequence('s1');
    const prefilled = new Map([['telegram:42', 120]]);
    const lease = leaseSequenceWith({ slots: createSequenceSlots([only]), prefilled });
    await lease('telegram:42', async () => 'first');
    expect(only.cleared).toBe(1);
    await lease('telegram:42', async () => 'again');
    expect(only.cleared).toBe(1);
    await lease('web:zoë', async () => 'other');
    expect(only.cleared).toBe(2);
    expect(prefilled.has('telegram:42')).toBe(false);
  });

  it('clears the sequence after a failed call and gives it to nobody', async () => {
    const only = fakeSequence('s1');
    const slots = createSequenceSlots([only]);
    const lease = leaseSequenceWith({ slots, prefilled: new Map() });
    await expect(lease('cli:ana', async () => Promise.reject(new Error('decode failed')))).rejects.toThrow('decode failed');
    expect(only.cleared).toBe(2);
    expect(slots.holds('cli:ana')).toBe(false);
  });
});

describe('keeping the tokens a prompt still starts with', () => {
  const prefix = [1, 2, 3, 4];
  const plan = [90, 91, 92];
  const history = [10, 11, 12, 13, 14, 15, 16, 17, 18];

  it('erases a dropped range and keeps what follows it, moved back', async () => {
    const sequence = fakeSequence('s', [...prefix, ...plan, ...history]);
    const shifted = await keepFor(sequence, [...prefix, ...history, 50, 51]);
    expect(sequence.erased).toEqual([[{ start: 4, end: 7 }]]);
    expect(sequence.contextTokens).toEqual([...prefix, ...history]);
    expect(shifted).toBe(history.length);
  });

  it('starts over when the sequence did not end up holding the prompt\'s start', async () => {
    const sequence = fakeSequence('s', [...prefix, ...plan, ...history]);
    // A sequence that ignores erasing, as node-llama-cpp may when it drops the cache instead.
    sequence.eraseContextTokenRanges = async () => undefined;
    expect(await keepFor(sequence, [...prefix, ...history])).toBe(0);
    expect(sequence.cleared).toBe(1);
  });
});

describe('one call at a time per conversation', () => {
  it('runs a conversation\'s calls in order, a failure not blocking the next', async () => {
    const queue = createConversationQueue();
    const order: string[] = [];
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = queue.inOrder('telegram:7', async () => {
      await gate;
      order.push('prefill');
      throw new Error('evicted');
    });
    const second = queue.inOrder('telegram:7', async () => order.push('reply'));
    const other = queue.inOrder('web:李', async () => order.push('other'));
    await other;
    expect(order).toEqual(['other']);
    open();
    await expect(first).rejects.toThrow('evicted');
    await second;
    expect(order).toEqual(['other', 'prefill', 'reply']);
    await Promise.resolve();
    expect(queue.pending).toBe(0);
  });
});

describe('aborting a streamed request', () => {
  function manualTimers() {
    const pending = new Map<number, () => void>();
    let next = 0;
    const timers: Timers = {
      setTimeout: (run) => {
        pending.set(++next, run);
        return next;
      },
      clearTimeout: (handle) => pending.delete(handle as number),
    };
    return { timers, pending, fire: () => [...pending.values()].forEach((run) => run()) };
  }

  it('aborts with a timeout once nothing arrived for the idle time, restarting on each arrival', () => {
    const clock = manualTimers();
    const abort = idleAbort(undefined, 1000, clock.timers);
    abort.touch();
    abort.touch();
    expect(clock.pending.size).toBe(1);
    clock.fire();
    expect(abort.signal.aborted).toBe(true);
    expect((abort.signal.reason as Error).message).toBe('timeout');
  });

  it('follows the caller\'s signal with its reason, and lets go of it when disposed', () => {
    const clock = manualTimers();
    const caller = new AbortController();
    const abort = idleAbort(caller.signal, 1000, clock.timers);
    caller.abort('user pressed stop');
    expect(abort.signal.reason).toBe('user pressed stop');
    const later = new AbortController();
    const disposed = idleAbort(later.signal, 1000, clock.timers);
    disposed.dispose();
    later.abort('too late');
    expect(disposed.signal.aborted).toBe(false);
    expect(clock.pending.size).toBe(1);
  });
});
