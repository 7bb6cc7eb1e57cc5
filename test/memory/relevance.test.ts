// What recall puts in the prompt: the ranking of remembered messages and the character budget.
import { describe, expect, it } from 'vitest';
import { askedType, holdsType } from '../../src/memory/answer-types.js';
import { createRelevantRecall } from '../../src/memory/recalled-turns.js';
import type { TurnRecord } from '../../src/memory/records.js';
import { createTurnRanker, RANKING } from '../../src/memory/relevance.js';
import { stem } from '../../src/text/bm25.js';
import { addressedNames, askedSide, createNameTally } from '../../src/memory/speakers.js';

let n = 0;
const turn = (userText: string, reply: string, at: string, understanding?: unknown): TurnRecord => ({ v: 1, kind: 'turn', turnId: `t${n++}`, userText, reply, at, understanding });
const day = (d: number, minute = 0) => new Date(Date.UTC(2024, 0, d, 10, minute)).toISOString();

/** Small talk on other days, so that the words that matter are rare. */
const filler = (count: number, from = 1) => Array.from({ length: count }, (_, i) => turn(`Thanks, Eliza! Just a quiet day ${i}.`, `Glad to hear it, Ines! Anything planned ${i}?`, day(from + i)));

describe('speakers', () => {
  it('learns each party\'s name from how the other one addresses them', () => {
    expect(addressedNames('Thanks, Eliza! That helps.')).toEqual(['eliza']);
    expect(addressedNames('Hey Ines, how are you? Wow, really.')).toEqual([stem('ines')]);
    expect(addressedNames('thank you Mel! Yeah, ok.')).toEqual(['mel']);
    const tally = createNameTally();
    for (let i = 0; i < 4; i++) tally.add({ addressedByUser: ['eliza'], addressedByBot: [stem('ines')], userNames: [] });
    tally.add({ addressedByUser: ['pari'], addressedByBot: [], userNames: [] });
    const names = tally.names();
    expect(Object.fromEntries(names.side)).toEqual({ eliza: 'bot', [stem('ines')]: 'user' });
    expect(askedSide("What did Ines's brother do?", names)).toBe('user');
    expect(askedSide('What did Eliza recommend to Ines?', names)).toBe('bot');
    expect(askedSide('what did I tell you about my dog?', names)).toBe('user');
    expect(askedSide('what did you say about boats?', names)).toBe('bot');
    expect(askedSide('what about Paris?', names)).toBeUndefined();
    // Taken away as turns leave the list.
    for (let i = 0; i < 4; i++) tally.add({ addressedByUser: ['eliza'], addressedByBot: [stem('ines')], userNames: [] }, -1);
    expect(tally.names().side.size).toBe(0);
  });

  it('answer types: what a question asks for, and whether a message holds it', () => {
    expect(askedType('When did Ines adopt Pip?')).toBe('time');
    expect(askedType('How many dogs does she have?')).toBe('number');
    expect(askedType('Where was Pip found?')).toBe('place');
    expect(askedType('What is his name?')).toBeUndefined();
    expect(holdsType('time', 'we went last week')).toBe(true);
    expect(holdsType('place', 'we sailed to Porto')).toBe(true);
    expect(holdsType('number', 'a quiet day')).toBe(false);
    // Understanding's entities count where the patterns see nothing.
    expect(holdsType('person', 'she said so', new Set(['person']))).toBe(true);
  });
});

describe('ranking remembered messages', () => {
  it('finds the answer beside the words that match (a reply to a question), on the side the question names', () => {
    const turns = [
      ...filler(6),
      turn('Thanks, Eliza! We adopted a dog on Saturday.', 'Wonderful, Ines! What is the dog called?', day(10)),
      turn('His name is Pip, a scruffy terrier.', 'Pip is a great name, Ines!', day(10, 1)),
      ...filler(6, 11),
    ];
    const texts = (rank: ReturnType<typeof createTurnRanker>) => rank('What is the dog called?', turns, 3).map((i) => turns[i]?.userText);
    expect(texts(createTurnRanker())).toEqual(['Thanks, Eliza! We adopted a dog on Saturday.', 'His name is Pip, a scruffy terrier.']);
    // Without context the answer shares no word with the question: only the question is found.
    expect(texts(createTurnRanker({ ...RANKING, context: 0, neighbour: { before: 0, after: 0, answer: 0 }, session: 0 }))).toEqual(['Thanks, Eliza! We adopted a dog on Saturday.']);
  });

  it('an answer takes more of its question\'s score than other neighbours do', () => {
    const turns = [
      ...filler(4),
      turn('My family came over for lunch on Sunday.', 'Lovely, Ines!', day(8)),
      turn('I joined the gym near the harbour, Eliza!', 'Great! How often do you work out with your family there?', day(9)),
      turn('Three times a week; the kids love the pool.', 'That keeps you all on track, Ines!', day(9, 1)),
      turn('Anyway, my family and I ate too much cake.', 'Ha! Cake happens.', day(9, 2)),
      ...filler(4, 12),
    ];
    const best = (rank: ReturnType<typeof createTurnRanker>) => rank.messages('How often does Ines work out with her family?', turns).slice(0, 2).map((m) => (m.side === 'user' ? turns[m.turn]?.userText : turns[m.turn]?.reply));
    // Ines's answer (her side, the question's words beside it) first, then the bot's question.
    expect(best(createTurnRanker())).toEqual(['Three times a week; the kids love the pool.', 'Great! How often do you work out with your family there?']);
    // Taking only a neighbour's share, the answer comes after the question it answers.
    expect(best(createTurnRanker({ ...RANKING, neighbour: { ...RANKING.neighbour, answer: RANKING.neighbour.before } }))).toEqual(['Great! How often do you work out with your family there?', 'Three times a week; the kids love the pool.']);
  });

  it('prefers a message with the question\'s words side by side ("dance studio")', () => {
    const turns = [
      ...filler(4),
      turn('Dance night at the old studio.', 'Glad it went well, Ines!', day(8)),
      turn('I finally signed the lease on a dance studio by the river!', 'Congratulations, Ines!', day(9)),
      ...filler(4, 12),
    ];
    const first = (rank: ReturnType<typeof createTurnRanker>) => turns[rank('Where is the dance studio?', turns, 1)[0] ?? -1]?.userText;
    expect(first(createTurnRanker())).toBe('I finally signed the lease on a dance studio by the river!');
    expect(first(createTurnRanker({ ...RANKING, pairs: 0 }))).toBe('Dance night at the old studio.');
  });

  it('prefers what was said at the time a question names', () => {
    const turns = [turn('I went sailing with Tiago.', 'Lovely!', '2023-03-02T10:00:00Z'), ...filler(4), turn('I went sailing alone.', 'Brave!', '2023-06-14T10:00:00Z'), ...filler(4, 20)];
    const rank = createTurnRanker();
    const now = new Date('2023-11-01T00:00:00Z');
    expect(turns[rank('Where did I go sailing in June?', turns, 1, now)[0] ?? -1]?.userText).toBe('I went sailing alone.');
    expect(turns[rank('Who did I go sailing with in March 2023?', turns, 1, now)[0] ?? -1]?.userText).toBe('I went sailing with Tiago.');
  });

  it('ranks a growing and shrinking history as a fresh ranker does (its kept index is updated, not stale)', () => {
    const history: TurnRecord[] = [];
    const kept = createTurnRanker();
    const words = ['harbour', 'pottery', 'sailing', 'bread', 'wedding', 'terrier'];
    for (let i = 0; i < 40; i++) {
      history.push(turn(`day ${i}: ${words[i % words.length]} and ${words[(i * 5) % words.length]}`, `Thanks, Ines! More about ${words[(i * 7) % words.length]}?`, day(1 + Math.floor(i / 3), i % 3)));
      for (const list of [history, history.slice(0, Math.max(1, history.length - 6))]) {
        for (const query of ['sailing to the harbour', 'when was the wedding?', 'terrier bread']) {
          expect(kept(query, list, 5), `${query} at ${list.length}`).toEqual(createTurnRanker()(query, list, 5));
        }
      }
    }
  });
});

describe('the recalled part of the prompt', () => {
  it('holds the best messages within its characters, whole, best first, with their dates', () => {
    const turns = [
      turn('My brother Tiago walks Pip on Thursdays.', 'That is kind of Tiago.', day(3)),
      ...filler(8, 4),
      turn('I glazed a blue bowl in pottery class.', 'Cobalt dusk sounds beautiful.', day(20)),
    ];
    const recall = createRelevantRecall(createTurnRanker());
    // The reply rides along when there is room for it (both sides make one line), not otherwise.
    expect(recall('Who walks Pip on Thursdays?', turns, 200)[0]).toBe('2024-01-03 user: "My brother Tiago walks Pip on Thursdays." you: "That is kind of Tiago."');
    const tight = recall('Who walks Pip on Thursdays?', turns, 80);
    expect(tight).toEqual(['2024-01-03 user: "My brother Tiago walks Pip on Thursdays."']);
    expect(tight.join('').length).toBeLessThanOrEqual(80);
    expect(recall('Tiago', turns, 0)).toEqual([]);
    expect(recall('giraffes', turns, 1000)).toEqual([]);
  });
});
