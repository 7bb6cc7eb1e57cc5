/**
 * The time a message asks about ("on 13 October 2023", "in June", "in 2023", "last week"), as
 * ranges of UTC dates, so that recall can prefer what was said then. English only, like the
 * rest of the lexical recall; a message naming no time gives no range.
 */

export interface TimeRange {
  /** Inclusive start and exclusive end, in milliseconds since the epoch. */
  from: number;
  to: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const DAY = 24 * 3600 * 1000;

const monthIndex = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase());
const day = (y: number, m: number, d: number) => Date.UTC(y, m, d);
const month = (y: number, m: number): TimeRange => ({ from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1) });

/**
 * Ranges the text names. A month without a year means that month in each year up to `now`'s
 * (the last three); relative phrases count back from `now`.
 */
export function timeRanges(text: string, now: Date): TimeRange[] {
  const lower = text.toLowerCase();
  const ranges: TimeRange[] = [];
  const taken: Array<[number, number]> = [];
  const free = (m: RegExpExecArray) => !taken.some(([a, b]) => m.index < b && m.index + m[0].length > a);
  const take = (m: RegExpExecArray, found: TimeRange[]) => {
    taken.push([m.index, m.index + m[0].length]);
    ranges.push(...found);
  };
  const each = (pattern: string, fn: (m: RegExpExecArray) => TimeRange | TimeRange[]) => {
    for (const m of lower.matchAll(new RegExp(pattern, 'g'))) {
      const found = m as RegExpExecArray;
      if (!free(found)) continue;
      const range = fn(found);
      take(found, Array.isArray(range) ? range : [range]);
    }
  };
  // A day: "13 october 2023", "october 13, 2023", "13 oct".
  each(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`, (m) => ({ from: day(Number(m[3]), monthIndex(m[2] ?? ''), Number(m[1])), to: day(Number(m[3]), monthIndex(m[2] ?? ''), Number(m[1])) + DAY }));
  each(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, (m) => ({ from: day(Number(m[3]), monthIndex(m[1] ?? ''), Number(m[2])), to: day(Number(m[3]), monthIndex(m[1] ?? ''), Number(m[2])) + DAY }));
  // A month of a year: "june 2023", "in june of 2023".
  each(`\\b${MONTH}\\s+(?:of\\s+)?(\\d{4})\\b`, (m) => month(Number(m[2]), monthIndex(m[1] ?? '')));
  // A month alone ("in june"): "may" only after "in", being also a verb.
  each(`\\b(?:in|during|since|last|this|early|late|mid)[\\s-]+${MONTH}\\b`, (m) => {
    const index = monthIndex(m[1] ?? '');
    const year = now.getUTCFullYear() - (index > now.getUTCMonth() ? 1 : 0);
    return [month(year, index), month(year - 1, index), month(year - 2, index)];
  });
  each('\\b(?:in|during|since|of)\\s+((?:19|20)\\d{2})\\b', (m) => ({ from: Date.UTC(Number(m[1]), 0, 1), to: Date.UTC(Number(m[1]) + 1, 0, 1) }));
  const today = day(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const relative: Array<[RegExp, TimeRange]> = [
    [/\byesterday\b/, { from: today - DAY, to: today }],
    [/\b(?:last|past) week(?:end)?\b/, { from: today - 14 * DAY, to: today }],
    [/\b(?:last|past) month\b/, { from: today - 62 * DAY, to: today }],
    [/\b(?:last|past) year\b/, { from: Date.UTC(now.getUTCFullYear() - 1, 0, 1), to: today }],
  ];
  for (const [pattern, range] of relative) if (pattern.test(lower)) ranges.push(range);
  return ranges;
}
