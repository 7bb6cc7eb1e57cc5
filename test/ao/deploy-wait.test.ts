import { describe, expect, it } from 'vitest';
import { waitUntilIndexed } from '../../src/ao/deploy.js';
import { UnavailableError } from '../../src/errors.js';

// deploy spawns only once the gateway's GraphQL lists the modules (a real gateway indexes a new
// transaction minutes after it is posted); here a stand-in gateway indexes one module per look.
describe('waiting for the gateway to index the modules', () => {
  it('looks again until every module is listed, saying which are missing', async () => {
    const indexed = new Set<string>();
    const pending = ['understanding-id', 'sentiment-id', 'generation-id'];
    const seen: string[][] = [];
    await waitUntilIndexed({
      ids: [...pending],
      find: async (ids) => {
        const next = pending.shift();
        if (next) indexed.add(next);
        return new Set(ids.filter((id) => indexed.has(id)));
      },
      timeoutMs: 10_000,
      pollMs: 1,
      onWait: (missing) => seen.push(missing),
    });
    expect(seen).toEqual([['sentiment-id', 'generation-id'], ['generation-id']]);
  });

  it('gives up after the timeout with what to do, and survives a failing gateway meanwhile', async () => {
    let looks = 0;
    const waiting = waitUntilIndexed({
      ids: ['module-id'],
      find: async () => {
        looks++;
        if (looks === 1) throw new Error('gateway unreachable');
        return new Set();
      },
      timeoutMs: 30,
      pollMs: 5,
    });
    await expect(waiting).rejects.toBeInstanceOf(UnavailableError);
    await expect(waiting).rejects.toThrow(/not indexed module-id/);
    expect(looks).toBeGreaterThan(1);
  });
});
