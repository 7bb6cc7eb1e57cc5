import { describe, expect, it } from 'vitest';
import { alignKept } from '../../src/inference/kept-tokens.js';

// Words stand for tokens: what matters is which are equal.
const tokens = (text: string) => text.split(' ');

describe('reusing a sequence\'s kept tokens for a new prompt', () => {
  const persona = 'sys Eliza listens and asks how you feel end';
  const notes = 'notes Sofía sails a sloop called Wren and has a sister end';
  const plan = 'plan tone warm length short acknowledge the storm end';
  const exchange = 'user the sea was rough today 🌊 end assistant tell me more about the sea end';

  it('keeps the common prefix and erases the rest when nothing after a difference matches', () => {
    const kept = tokens(`${persona} user hello end`);
    const target = tokens(`${persona} user bonjour à tous end`);
    const alignment = alignKept(kept, target);
    expect(alignment).toEqual({ erase: [{ start: 10, end: 12 }], reused: 10, shifted: 0 });
  });

  it('erases a range the new prompt left out (the last reply plan) and keeps what follows it', () => {
    const kept = tokens(`${persona} ${notes} ${plan} ${exchange}`);
    const target = tokens(`${persona} ${notes} ${exchange} plan2 tone calm end user and tomorrow? end`);
    const alignment = alignKept(kept, target);
    const planStart = tokens(`${persona} ${notes}`).length;
    expect(alignment.erase).toEqual([{ start: planStart, end: planStart + tokens(plan).length }]);
    expect(alignment.reused).toBe(tokens(`${persona} ${notes} ${exchange}`).length);
    expect(alignment.shifted).toBe(tokens(exchange).length);
    // What is left is exactly the start of the new prompt.
    const left = kept.filter((_, i) => !alignment.erase.some((r) => i >= r.start && i < r.end));
    expect(left).toEqual(target.slice(0, alignment.reused));
  });

  it('erases several ranges (a plan, then a thinking block before the reply) and the tail', () => {
    const kept = tokens(`${persona} ${plan} user hi end assistant <think> </think> tell me more about the sea please extra`);
    const target = tokens(`${persona} user hi end assistant tell me more about the sea please end user next end`);
    const alignment = alignKept(kept, target, 4);
    expect(alignment.erase).toHaveLength(3);
    expect(alignment.erase.at(-1)).toEqual({ start: kept.length - 1, end: kept.length });
    const left = kept.filter((_, i) => !alignment.erase.some((r) => i >= r.start && i < r.end));
    expect(left).toEqual(target.slice(0, alignment.reused));
    expect(alignment.reused).toBe(tokens(`${persona} user hi end assistant tell me more about the sea please`).length);
  });

  it('does not keep stray single tokens that happen to match after a difference', () => {
    // "end" and "the" recur in the dropped part, but no run of eight matches: all of it goes.
    const kept = tokens(`${persona} ${plan} the end the end`);
    const target = tokens(`${persona} user the end of the day end`);
    const alignment = alignKept(kept, target);
    expect(alignment.erase).toEqual([{ start: tokens(persona).length, end: kept.length }]);
    expect(alignment.shifted).toBe(0);
  });

  it('keeps everything of an extended prompt and erases nothing', () => {
    const kept = tokens(persona);
    expect(alignKept(kept, tokens(`${persona} ${exchange}`))).toEqual({ erase: [], reused: kept.length, shifted: 0 });
    expect(alignKept([], tokens(persona))).toEqual({ erase: [], reused: 0, shifted: 0 });
    // A new prompt shorter than what is kept: the surplus goes.
    expect(alignKept(tokens(`${persona} ${exchange}`), kept).erase).toEqual([{ start: kept.length, end: kept.length + tokens(exchange).length }]);
  });
});
