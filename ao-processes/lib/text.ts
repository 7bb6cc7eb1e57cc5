// Text helpers shared by the analysis modules.

function isWordChar(c: i32): bool {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 39 || c == 0x2019 || (c >= 0xc0 && c != 0xd7 && c != 0xf7 && c < 0x2000);
}

/** Lowercase word tokens (letters, digits, apostrophes; curly apostrophes made straight). */
export function words(text: string): string[] {
  return clauseWords(text).words;
}

export class ClauseWords {
  words: string[] = [];
  /** The clause each word is in: punctuation that ends a clause, or a line break, starts the next. */
  clauses: i32[] = [];
}

function endsClause(c: i32): bool {
  return c == 44 || c == 46 || c == 59 || c == 58 || c == 33 || c == 63 || c == 10 || c == 0x2026 || c == 0x2014;
}

/** Lowercase word tokens, each with the index of its clause. */
export function clauseWords(text: string): ClauseWords {
  const out = new ClauseWords();
  const lower = text.toLowerCase();
  let start = -1;
  let clause = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      let word = lower.substring(start, i).replaceAll('\u2019', "'");
      while (word.startsWith("'")) word = word.substring(1);
      while (word.endsWith("'")) word = word.substring(0, word.length - 1);
      if (word.length > 0) {
        out.words.push(word);
        out.clauses.push(clause);
      }
      start = -1;
    }
    // A hyphen between spaces is a dash: "Don't buy this - it fails".
    if (endsClause(c) || (c == 45 && i > 0 && lower.charCodeAt(i - 1) == 32)) clause++;
  }
  return out;
}

/** Whitespace-separated tokens as written (case, punctuation and emoji kept). */
export function rawTokens(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const space = c == 32 || c == 10 || c == 9 || c == 13;
    if (!space) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(text.substring(start, i));
      start = -1;
    }
  }
  return out;
}

/** `list` is words separated by single spaces, with a space at both ends. */
export function inList(word: string, list: string): bool {
  return list.indexOf(' ' + word + ' ') >= 0;
}

/** Whether the lowercase text contains the phrase as whole words. */
export function hasPhrase(lower: string, phrase: string): bool {
  let from = 0;
  while (true) {
    const at = lower.indexOf(phrase, from);
    if (at < 0) return false;
    const before = at == 0 ? 32 : lower.charCodeAt(at - 1);
    const end = at + phrase.length;
    const after = end >= lower.length ? 32 : lower.charCodeAt(end);
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

export function isCapitalized(token: string): bool {
  if (token.length == 0) return false;
  const c = token.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** Strips punctuation from both ends of a raw token. */
export function trimPunctuation(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && !isWordChar(token.charCodeAt(start))) start++;
  while (end > start && !isWordChar(token.charCodeAt(end - 1))) end--;
  return token.substring(start, end);
}
