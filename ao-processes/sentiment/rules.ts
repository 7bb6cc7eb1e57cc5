// The lexicon-and-rules score (in the spirit of VADER) over the AFINN-165 word list plus an
// emoji list, both generated into build/gen at build time. It is one input of the learned model
// (model.ts) and gives the polarity shares.
import { LEXICON_SCORES, LEXICON_WORDS } from '../../build/gen/lexicon';
import { ClauseWords, inList, rawTokens, trimPunctuation } from '../lib/text';

export const NEGATORS = " not no never nor neither nobody nothing nowhere none cannot can't cant don't dont doesn't doesnt didn't didnt isn't isnt aren't arent wasn't wasnt weren't werent won't wont wouldn't wouldnt shouldn't shouldnt couldn't couldnt haven't havent hasn't hasnt hadn't hadnt ain't aint without hardly barely ";
const BOOSTERS = " very really so extremely super totally absolutely incredibly truly deeply highly hugely utterly completely most quite especially particularly fucking damn freaking insanely ";
const DAMPENERS = " kinda kind sorta somewhat slightly barely little bit fairly marginally partly ";
const CONTRAST = " but however though although yet ";
/** Words that start a new clause for negation ("I can't use it because the smell is awful"). */
export const CLAUSE_WORDS = " but however though although yet because since and or which who when while if unless until ";
/** "not only", "no doubt": a negator that does not negate what follows. */
export const NOT_NEGATING_NEXT = " only just doubt wonder ";

const EMOTICONS_POS = " :) :-) :D :-D =) :] ;) ;-) :P :-P xD XD <3 :3 ^_^ (: ";
const EMOTICONS_NEG = " :( :-( :'( ):  :[ :/ :-/ >:( D: :| -_- ";

/** Whether a raw token is one of the emoticons scored here. */
export function isEmoticon(token: string): bool {
  return inList(token, EMOTICONS_POS) || inList(token, EMOTICONS_NEG);
}

/** The word's lexicon score: a binary search over static data, nothing allocated. */
export function score(word: string): f64 {
  let low = 0;
  let high = LEXICON_WORDS.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = unchecked(LEXICON_WORDS[middle]);
    if (candidate == word) return <f64>unchecked(LEXICON_SCORES[middle]) * 0.8; // AFINN runs -5..5; VADER-style rules expect about -4..4.
    if (candidate < word) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}

export class RuleScore {
  /** The signed sum of the valences after emphasis, sarcasm and capitals. */
  sum: f64 = 0;
  valences: f64[] = [];
}

/** Whether the negator at `at` negates what follows it ("not only" does not). */
export function negatesAt(tokens: string[], at: i32): bool {
  return inList(tokens[at], NEGATORS) && !(at + 1 < tokens.length && inList(tokens[at + 1], NOT_NEGATING_NEXT));
}

/** Word valences with negation, boosters and dampeners; the index of the first contrast word, or -1. */
function wordValences(parsed: ClauseWords, valences: f64[]): i32 {
  const tokens = parsed.words;
  let contrastAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i];
    if (inList(w, CONTRAST) && contrastAt < 0 && i > 0) contrastAt = i;
    let v = score(w);
    if (v == 0) { valences.push(0); continue; }
    for (let back = 1; back <= 3 && i - back >= 0; back++) {
      const prev = tokens[i - back];
      const decay: f64 = back == 1 ? 1.0 : back == 2 ? 0.95 : 0.9;
      if (inList(prev, BOOSTERS)) v += (v > 0 ? 0.293 : -0.293) * decay;
      else if (inList(prev, DAMPENERS)) v -= (v > 0 ? 0.293 : -0.293) * decay;
    }
    // "not bad", "I don't think this is good at all": a negation flips and weakens (VADER's
    // 0.74) the first sentiment word after it, however far, within its clause (punctuation, a
    // conjunction). Once it has flipped one word it is spent: "not as bad as I feared, fine".
    for (let back = i - 1; back >= 0 && parsed.clauses[back] == parsed.clauses[i]; back--) {
      if (inList(tokens[back], CLAUSE_WORDS)) break;
      if (back < i - 1 && score(tokens[back]) != 0) break;
      if (negatesAt(tokens, back)) { v = v * -0.74; break; }
    }
    valences.push(v);
  }
  return contrastAt;
}

/** Capitals on a sentiment word stress it, unless the whole message is in capitals. */
function stressCapitals(raws: string[], tokens: string[], valences: f64[], shouting: bool): void {
  for (let i = 0; i < raws.length; i++) {
    const t = trimPunctuation(raws[i]);
    if (t.length < 2 || shouting) continue;
    if (t == t.toUpperCase() && t != t.toLowerCase()) {
      const w = t.toLowerCase();
      for (let j = 0; j < tokens.length; j++) {
        if (tokens[j] == w && valences[j] != 0) { valences[j] += valences[j] > 0 ? 0.733 : -0.733; break; }
      }
    }
  }
}

/** Emoticons and emoji, each a valence of its own. */
function symbolValences(text: string, raws: string[], valences: f64[]): void {
  for (let i = 0; i < raws.length; i++) {
    const t = raws[i];
    if (inList(t, EMOTICONS_POS)) valences.push(2.0);
    else if (inList(t, EMOTICONS_NEG)) valences.push(-2.0);
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i);
    if (c < 0x2000) continue;
    const ch = String.fromCodePoint(c);
    if (c > 0xffff) i++;
    const v = score(ch);
    if (v != 0) valences.push(v * 1.5);
  }
}

function isShouting(text: string): bool {
  let letters = 0, upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) { upper++; letters++; } else if (c >= 97 && c <= 122) letters++;
  }
  return letters > 3 && upper == letters;
}

/** Exclamation marks amplify; several question marks add a little. */
function emphasisOf(text: string): f64 {
  let bangs = 0, questions = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 33) bangs++;
    else if (c == 63) questions++;
  }
  if (bangs > 4) bangs = 4;
  return <f64>bangs * 0.292 + (questions > 1 ? min<f64>(<f64>questions * 0.18, 0.96) : 0);
}

/** `text` is the chat text (chatText); `parsed` its clause words. */
export function ruleScore(text: string, parsed: ClauseWords): RuleScore {
  const out = new RuleScore();
  const valences = out.valences;
  const raws = rawTokens(text);
  const shouting = isShouting(text);
  const contrastAt = wordValences(parsed, valences);
  stressCapitals(raws, parsed.words, valences, shouting);
  // "X but Y": what comes after the contrast weighs more.
  if (contrastAt > 0) {
    for (let i = 0; i < valences.length; i++) valences[i] *= i < contrastAt ? 0.5 : 1.5;
  }
  symbolValences(text, raws, valences);
  // Sarcasm markers: "/s" or "yeah right" reverse the literal sentiment.
  const lower = text.toLowerCase();
  const sarcastic = lower.indexOf('/s') >= 0 && lower.trimEnd().endsWith('/s') || lower.indexOf('yeah right') >= 0 || lower.indexOf('thanks a lot') >= 0 && lower.indexOf('not') < 0 && text.indexOf('🙄') >= 0;
  let sum: f64 = 0;
  for (let i = 0; i < valences.length; i++) sum += valences[i];
  if (sarcastic || text.indexOf('🙄') >= 0) sum = sum > 0 ? -sum * 0.8 - 0.5 : sum - 0.5;
  const emphasis = emphasisOf(text);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  if (shouting && sum != 0) sum *= 1.2;
  out.sum = sum;
  return out;
}

/** VADER's normalisation of a sum into -1..1. */
export function normalise(sum: f64): f64 {
  const c = sum / Math.sqrt(sum * sum + 15);
  return c > 1 ? 1 : c < -1 ? -1 : c;
}
