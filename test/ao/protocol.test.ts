// The outbox as production reads a module's answer: the one place AO messages are parsed.
import { describe, expect, it } from 'vitest';
import { outboxMessagesOf } from '../../src/ao/protocol.js';
import { tagValue } from '../../src/arweave/tag.js';

describe('outboxMessagesOf', () => {
  it('reads messages as a module wrote them, numbers and booleans in tag values as text', () => {
    const messages = outboxMessagesOf(
      [
        { Target: 'g'.repeat(43), Tags: [{ name: 'Action', value: 'Analyzed' }, { name: 'Turn-Id', value: 'turn-🙂-7' }, { name: 'Count', value: 3 }, { name: 'Final', value: true }], Data: '{"label":"positive"}' },
        { Target: 'w'.repeat(43), Data: 'Grüße aus Zürich' },
      ],
      'Messages',
    );
    expect(messages).toHaveLength(2);
    expect(tagValue(messages[0]?.Tags, 'Turn-Id')).toBe('turn-🙂-7');
    expect(tagValue(messages[0]?.Tags, 'Count')).toBe('3');
    expect(tagValue(messages[0]?.Tags, 'Final')).toBe('true');
    expect(messages[1]?.Tags).toBeUndefined();
    expect(outboxMessagesOf(undefined, 'Spawns')).toEqual([]);
  });

  it('names the entry and field of a malformed outbox', () => {
    expect(() => outboxMessagesOf([{ Target: 'x', Tags: [{ name: 'Action', value: 'Reply' }] }, { Tags: [{ name: 'Action' }] }], 'Messages')).toThrow(/^Messages\[1\.Tags\.0\.value\]/);
    expect(() => outboxMessagesOf({ Target: 'x' }, 'Spawns')).toThrow(/^Spawns\[\]/);
    expect(() => outboxMessagesOf(['text'], 'Messages')).toThrow(/^Messages\[0\]/);
  });
});
