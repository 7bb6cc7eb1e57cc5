import { describe, expect, it } from 'vitest';
import { timeRanges } from '../../src/text/time-expressions.js';

const now = new Date('2023-11-20T12:00:00Z');
const iso = (text: string) => timeRanges(text, now).map((r) => `${new Date(r.from).toISOString().slice(0, 10)}..${new Date(r.to).toISOString().slice(0, 10)}`);

describe('time expressions', () => {
  it('reads days, months and years as ranges', () => {
    expect(iso('What painting did she show on October 13, 2023?')).toEqual(['2023-10-13..2023-10-14']);
    expect(iso('What did Nate do for Joanna on 25 May, 2022?')).toEqual(['2022-05-25..2022-05-26']);
    expect(iso('What class did she start in December 2023?')).toEqual(['2023-12-01..2024-01-01']);
    expect(iso('How many times has she gone to the beach in 2023?')).toEqual(['2023-01-01..2024-01-01']);
  });

  it('a month alone is that month in the last three years; "may" the verb is not a month', () => {
    expect(iso('When did Ines go hiking in June?')).toEqual(['2023-06-01..2023-07-01', '2022-06-01..2022-07-01', '2021-06-01..2021-07-01']);
    // December has not come yet this year: the last one was 2022's.
    expect(iso('what did I do in December?')[0]).toBe('2022-12-01..2023-01-01');
    expect(iso('May I ask what you may remember?')).toEqual([]);
  });

  it('counts relative phrases back from now, and finds nothing in a message without time', () => {
    expect(iso('what did I tell you yesterday?')).toEqual(['2023-11-19..2023-11-20']);
    expect(iso('what did we talk about last week')).toEqual(['2023-11-06..2023-11-20']);
    expect(iso('what is my dog called?')).toEqual([]);
  });
});
