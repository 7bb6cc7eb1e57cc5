// What the learned model (model.ts) sees of a message: hashed words, word pairs, emoticons and
// emoji. The training script (scripts/train-sentiment.mjs) calls this same code, compiled to
// WASM, so training and the AO module can never disagree about a feature.
import { ClauseWords, inList, rawTokens } from '../lib/text';
import { CLAUSE_WORDS, isEmoticon, negatesAt } from './rules';

/** FNV-1a over the UTF-16 code units of `kind` + `text`: the same in JS and AssemblyScript. */
export function featureHash(kind: i32, text: string): u32 {
  let h: u32 = 2166136261;
  h = (h ^ <u32>kind) * 16777619;
  for (let i = 0; i < text.length; i++) h = (h ^ <u32>text.charCodeAt(i)) * 16777619;
  return h;
}

const UNIGRAM = 117; // "u"
const NEGATED = 110; // "n": a word inside a negation's reach ("not … good")
const BIGRAM = 98; // "b"
const SYMBOL = 101; // "e": an emoticon or an emoji

/** "soooo" → "soo", "coooool" → "cool": one spelling for every stretch of a word. */
export function squeeze(word: string): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < word.length; i++) {
    run = i > 0 && word.charCodeAt(i) == word.charCodeAt(i - 1) ? run + 1 : 1;
    if (run <= 2) out += word.charAt(i);
  }
  return out;
}

function addWords(parsed: ClauseWords, out: u32[]): void {
  const words = parsed.words;
  let negatedClause = -1;
  for (let i = 0; i < words.length; i++) {
    const word = squeeze(words[i]);
    const clause = parsed.clauses[i];
    if (inList(word, CLAUSE_WORDS)) negatedClause = -1;
    const negated = negatedClause == clause;
    out.push(featureHash(negated ? NEGATED : UNIGRAM, word));
    if (i + 1 < words.length && parsed.clauses[i + 1] == clause) out.push(featureHash(BIGRAM, word + ' ' + squeeze(words[i + 1])));
    // A negation reaches to the end of its clause, or to the next conjunction.
    if (negatesAt(words, i)) negatedClause = clause;
  }
}

function addSymbols(text: string, out: u32[]): void {
  // A question is more often asked than felt; "!" more often felt.
  if (text.indexOf('?') >= 0) out.push(featureHash(SYMBOL, '?'));
  if (text.indexOf('!') >= 0) out.push(featureHash(SYMBOL, '!'));
  const raws = rawTokens(text);
  for (let i = 0; i < raws.length; i++) if (isEmoticon(raws[i])) out.push(featureHash(SYMBOL, raws[i]));
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i);
    if (c < 0x2000) continue;
    if (c > 0xffff) i++;
    // Variation selectors and joiners only dress the emoji before them.
    if (c == 0xfe0f || c == 0x200d) continue;
    out.push(featureHash(SYMBOL, String.fromCodePoint(c)));
  }
}

/** The message's feature hashes (full 32 bits; the model folds them into its table). */
export function featureHashes(text: string, parsed: ClauseWords): u32[] {
  const out: u32[] = [];
  addWords(parsed, out);
  addSymbols(text, out);
  return out;
}
