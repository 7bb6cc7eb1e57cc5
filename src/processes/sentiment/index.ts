// Sentiment process: lexicon-and-rules analysis (in the spirit of VADER) over the AFINN-165
// word list plus an emoji list, both generated into build/gen at build time.
// Action=Analyze (text in Data) → Action=Analyzed to Reply-To or the sender, Data = the analysis.
import { LEXICON_SCORES, LEXICON_WORDS } from '../../../build/gen/lexicon';
import { serveAnalysis } from '../lib/analysis-process';
import { num, quote } from '../lib/json';
import { clauseWords, inList, rawTokens, trimPunctuation } from '../lib/text';
import { chatText } from './chat-text';
export { __wasm_call_ctors, emscripten_stack_init, emscripten_stack_get_end, emscripten_stack_get_current, _emscripten_stack_alloc, _emscripten_stack_restore } from '../lib/abi';

const NEGATORS = " not no never nor neither nobody nothing nowhere none cannot can't cant don't dont doesn't doesnt didn't didnt isn't isnt aren't arent wasn't wasnt weren't werent won't wont wouldn't wouldnt shouldn't shouldnt couldn't couldnt haven't havent hasn't hasnt hadn't hadnt ain't aint without hardly barely ";
const BOOSTERS = " very really so extremely super totally absolutely incredibly truly deeply highly hugely utterly completely most quite especially particularly fucking damn freaking insanely ";
const DAMPENERS = " kinda kind sorta somewhat slightly barely little bit fairly marginally partly ";
const CONTRAST = " but however though although yet ";
/** Words that start a new clause for negation ("I can't use it because the smell is awful"). */
const CLAUSE_WORDS = " but however though although yet because since and or which who when while if unless until ";
/** "not only", "no doubt": a negator that does not negate what follows. */
const NOT_NEGATING_NEXT = " only just doubt wonder ";

const JOY = " happy glad joy joyful love loved lovely great awesome amazing wonderful excited exciting fun delighted pleased yay fantastic brilliant enjoy enjoyed enjoying cheerful grateful thankful proud smile laugh haha lol beautiful perfect best nice ";
const SADNESS = " sad unhappy depressed depressing lonely miss missed missing cry crying cried tears heartbroken hurt grief grieving sorry upset down miserable gloomy disappointed disappointing lost loss alone tired exhausted ";
const ANGER = " angry mad furious annoyed annoying irritated irritating hate hated rage outraged pissed frustrated frustrating ridiculous stupid useless unacceptable worst terrible awful disgusting sick fed ";
const FEAR = " afraid scared fear frightened terrified worried worry worrying anxious anxiety nervous panic panicking dread scary horrified concerned uneasy ";
const SURPRISE = " wow whoa surprised surprising shocked shocking unexpected amazed astonished unbelievable incredible omg what?! really?! ";

const EMOTICONS_POS = " :) :-) :D :-D =) :] ;) ;-) :P :-P xD XD <3 :3 ^_^ (: ";
const EMOTICONS_NEG = " :( :-( :'( ):  :[ :/ :-/ >:( D: :| -_- ";

/** The word's lexicon score: a binary search over static data, nothing allocated. */
function score(word: string): f64 {
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

class Analysis {
  compound: f64 = 0;
  pos: f64 = 0;
  neg: f64 = 0;
  neu: f64 = 0;
  label: string = 'neutral';
  emotion: string = 'neutral';
}

function emotionOf(tokens: string[], compound: f64, raw: string): string {
  let joy = 0, sadness = 0, anger = 0, fear = 0, surprise = 0;
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i];
    const negated = i > 0 && inList(tokens[i - 1], NEGATORS);
    if (inList(w, JOY)) { if (negated) sadness++; else joy++; }
    if (inList(w, SADNESS) && !negated) sadness++;
    if (inList(w, ANGER) && !negated) anger++;
    if (inList(w, FEAR) && !negated) fear++;
    if (inList(w, SURPRISE)) surprise++;
  }
  if (raw.indexOf('😡') >= 0 || raw.indexOf('🤬') >= 0) anger += 2;
  if (raw.indexOf('😢') >= 0 || raw.indexOf('😭') >= 0 || raw.indexOf(":'(") >= 0) sadness += 2;
  if (raw.indexOf('😱') >= 0 || raw.indexOf('😨') >= 0) fear += 2;
  if (raw.indexOf('😮') >= 0 || raw.indexOf('😲') >= 0) surprise += 2;
  if (raw.indexOf('😊') >= 0 || raw.indexOf('😄') >= 0 || raw.indexOf('😂') >= 0) joy += 2;
  if (raw.indexOf('?!') >= 0 || raw.indexOf('!?') >= 0) surprise++;
  // Emotion words that go against the overall polarity count for less.
  if (compound > 0.3) { sadness = sadness / 2; anger = anger / 2; fear = fear / 2; }
  if (compound < -0.3) joy = joy / 2;
  let best = 'neutral';
  let top = 0;
  if (joy > top) { top = joy; best = 'joy'; }
  if (sadness > top) { top = sadness; best = 'sadness'; }
  if (anger > top) { top = anger; best = 'anger'; }
  if (fear > top) { top = fear; best = 'fear'; }
  if (surprise > top) { top = surprise; best = 'surprise'; }
  if (top == 0) {
    if (compound >= 0.5) best = 'joy';
    else if (compound <= -0.5) best = 'sadness';
  }
  return best;
}

export function analyze(original: string): Analysis {
  const text = chatText(original);
  const parsed = clauseWords(text);
  const tokens = parsed.words;
  const raws = rawTokens(text);
  const valences: f64[] = [];
  let letters = 0, upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) { upper++; letters++; } else if (c >= 97 && c <= 122) letters++;
  }
  const shouting = letters > 3 && upper == letters;

  // Word valences with negation, boosters, dampeners and capitals.
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
      const previous = tokens[back];
      if (inList(previous, CLAUSE_WORDS)) break;
      if (back < i - 1 && score(previous) != 0) break;
      if (inList(previous, NEGATORS) && !(back + 1 < tokens.length && inList(tokens[back + 1], NOT_NEGATING_NEXT))) { v = v * -0.74; break; }
    }
    valences.push(v);
  }
  // Capitals on a sentiment word stress it, unless the whole message is in capitals.
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
  // "X but Y": what comes after the contrast weighs more.
  if (contrastAt > 0) {
    for (let i = 0; i < valences.length; i++) valences[i] *= i < contrastAt ? 0.5 : 1.5;
  }
  // Emoticons and emoji.
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
  // Sarcasm markers: "/s" or "yeah right" reverse the literal sentiment.
  const lower = text.toLowerCase();
  const sarcastic = lower.indexOf('/s') >= 0 && lower.trimEnd().endsWith('/s') || lower.indexOf('yeah right') >= 0 || lower.indexOf('thanks a lot') >= 0 && lower.indexOf('not') < 0 && text.indexOf('🙄') >= 0;
  let sum: f64 = 0;
  for (let i = 0; i < valences.length; i++) sum += valences[i];
  if (sarcastic || text.indexOf('🙄') >= 0) sum = sum > 0 ? -sum * 0.8 - 0.5 : sum - 0.5;

  // Exclamation marks amplify; several question marks add a little.
  let bangs = 0, questions = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 33) bangs++;
    else if (c == 63) questions++;
  }
  if (bangs > 4) bangs = 4;
  const emphasis: f64 = <f64>bangs * 0.292 + (questions > 1 ? min<f64>(<f64>questions * 0.18, 0.96) : 0);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  if (shouting && sum != 0) sum *= 1.2;

  const out = new Analysis();
  let compound = sum / Math.sqrt(sum * sum + 15);
  if (compound > 1) compound = 1;
  if (compound < -1) compound = -1;
  out.compound = compound;
  let pos: f64 = 0, neg: f64 = 0, neu: f64 = 0;
  for (let i = 0; i < valences.length; i++) {
    const v = valences[i];
    if (v > 0) pos += v + 1;
    else if (v < 0) neg += -v + 1;
    else neu += 1;
  }
  const total = pos + neg + neu;
  if (total > 0) { out.pos = pos / total; out.neg = neg / total; out.neu = neu / total; } else out.neu = 1;
  out.label = compound >= 0.05 ? 'positive' : compound <= -0.05 ? 'negative' : 'neutral';
  out.emotion = emotionOf(tokens, compound, text);
  return out;
}

function toJson(a: Analysis): string {
  return '{"compound":' + num(a.compound) + ',"label":' + quote(a.label) + ',"polarity":{"pos":' + num(a.pos) + ',"neg":' + num(a.neg) + ',"neu":' + num(a.neu) + '},"emotion":' + quote(a.emotion) + ',"version":1}';
}

export function analyzeToJson(text: string): string {
  return toJson(analyze(text));
}

export function handle(msgPtr: usize, envPtr: usize): usize {
  return serveAnalysis(msgPtr, envPtr, 'sentiment', analyzeToJson);
}
