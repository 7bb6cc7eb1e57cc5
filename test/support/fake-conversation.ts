/** A ConversationPort for channel tests: echoes, streams word by word, records every call. */
import type { ConversationPort, HistoryEntry, TurnRequest, TurnResult } from '../../src/conversation/types.js';
import { cleanMessage } from '../../src/conversation/input.js';

export interface FakeConversation extends ConversationPort {
  turns: TurnRequest[];
  calls: string[];
  /** Replaces the reply text for the next turns. */
  reply: (request: TurnRequest) => string;
  delayMs: number;
}

export function createFakeConversation(opts: { delayMs?: number } = {}): FakeConversation {
  const histories = new Map<string, HistoryEntry[]>();
  const fake: FakeConversation = {
    turns: [],
    calls: [],
    delayMs: opts.delayMs ?? 5,
    reply: (request) => `You said: ${request.text}`,
    async handleTurn(request): Promise<TurnResult> {
      const text = cleanMessage(request.text);
      fake.turns.push(request);
      const reply = fake.reply(request);
      for (const piece of reply.split(/(?<= )/)) {
        if (request.signal?.aborted) break;
        request.onToken?.(piece);
        await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
      }
      const key = `${request.channel}:${request.userId}`;
      const at = new Date().toISOString();
      histories.set(key, [...(histories.get(key) ?? []), { role: 'user', text, at }, { role: 'assistant', text: reply, at }]);
      return { turnId: `turn-${fake.turns.length}`, reply, character: request.character ?? 'Eliza', timings: { firstTokenMs: 1, totalMs: 2 } };
    },
    async history(channel, userId, limit = 50) {
      return (histories.get(`${channel}:${userId}`) ?? []).slice(-limit * 2);
    },
    async reset(channel, userId) {
      fake.calls.push(`reset ${channel}:${userId}`);
      histories.delete(`${channel}:${userId}`);
    },
    async forget(channel, userId) {
      fake.calls.push(`forget ${channel}:${userId}`);
      histories.delete(`${channel}:${userId}`);
    },
    async describeMemory(channel, userId) {
      fake.calls.push(`memory ${channel}:${userId}`);
      return `memory of ${channel}:${userId}`;
    },
    listCharacters: () => [
      { name: 'Eliza', bio: 'a warm companion', color: '#6b4fd8' },
      { name: 'Marlowe', bio: 'a noir detective', color: '#2f2a26' },
    ],
    greeting: (name) => `Hi, I'm ${name ?? 'Eliza'}.`,
  };
  return fake;
}
