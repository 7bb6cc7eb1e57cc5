import { describe, expect, it } from 'vitest';
import { createSequenceSlots } from '../../src/inference/sequence-slots.js';

describe('sequence slots', () => {
  it('gives a conversation back its own sequence, and a new one an empty sequence first', async () => {
    const slots = createSequenceSlots(['s1', 's2']);
    const a = await slots.acquire('a');
    expect(a.heldFor).toBeUndefined();
    slots.release(a.item, 'a');
    const b = await slots.acquire('b');
    expect(b.item).not.toBe(a.item);
    slots.release(b.item, 'b');
    expect(await slots.acquire('a')).toEqual({ item: a.item, heldFor: 'a' });
  });

  it('takes the least recently used idle sequence when none is empty, saying whose it was', async () => {
    const slots = createSequenceSlots(['s1', 's2']);
    for (const conversation of ['a', 'b']) {
      const slot = await slots.acquire(conversation);
      slots.release(slot.item, conversation);
    }
    // a is used again, so b is now the least recently used.
    const a = await slots.acquire('a');
    slots.release(a.item, 'a');
    const c = await slots.acquire('c');
    expect(c.heldFor).toBe('b');
    slots.release(c.item, 'c');
    expect((await slots.acquire('b')).heldFor).toBe('a');
  });

  it('makes a caller wait while every sequence is busy, then hands it the first one released', async () => {
    const slots = createSequenceSlots(['s1']);
    const a = await slots.acquire('a');
    const waiting = slots.acquire(undefined);
    expect(slots.waiting).toBe(1);
    slots.release(a.item, 'a');
    expect(await waiting).toEqual({ item: 's1', heldFor: 'a' });
    expect(slots.waiting).toBe(0);
  });

  it('claims only the conversation\'s own sequence, never another\'s', async () => {
    const slots = createSequenceSlots(['s1']);
    expect(slots.claim('a')).toBeUndefined();
    const a = await slots.acquire('a');
    expect(slots.holds('a')).toBe(false);
    slots.release(a.item, 'a');
    expect(slots.holds('a')).toBe(true);
    expect(slots.holds('b')).toBe(false);
    expect(slots.claim('b')).toBeUndefined();
    expect(slots.claim('a')).toBe('s1');
    slots.release('s1', undefined);
    expect((await slots.acquire('b')).heldFor).toBeUndefined();
  });
});
