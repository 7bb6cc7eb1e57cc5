import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../src/concurrency.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimited', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const result = await mapLimited([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      running += 1;
      most = Math.max(most, running);
      await tick(n * 3);
      running -= 1;
      return `${i}:${n}`;
    });
    expect(result).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    expect(most).toBe(3);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapLimited([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick(n === 1 ? 5 : 20);
      if (n === 1) throw new Error('read 1 failed');
      return n;
    });
    await expect(run).rejects.toThrow('read 1 failed');
    await tick(60);
    expect(started).toEqual([0, 1]);
  });

  it('handles no items and a limit above their number', async () => {
    expect(await mapLimited([], 4, async () => 1)).toEqual([]);
    expect(await mapLimited([1, 2], 16, async (n) => n * 2)).toEqual([2, 4]);
  });
});
