// Sentiment process: lexicon rules (rules.ts) and a learned model over words, word pairs and
// symbols (features.ts, model.ts), read from chat text (chat-text.ts).
// Action=Analyze (text in Data) → Action=Analyzed to Reply-To or the sender, Data = the analysis.
import { serveAnalysis } from '../lib/analysis-process';
import { num, quote } from '../lib/json';
import { clauseWords, inList } from '../lib/text';
import { chatText } from './chat-text';
import { featureHashes } from './features';
import { compoundOf, feeling, labelOf, polarity } from './model';
import { NEGATORS, normalise, ruleScore } from './rules';
export { __wasm_call_ctors, emscripten_stack_init, emscripten_stack_get_end, emscripten_stack_get_current, _emscripten_stack_alloc, _emscripten_stack_restore } from '../lib/abi';

const JOY = " happy glad joy joyful love loved lovely great awesome amazing wonderful excited exciting fun delighted pleased yay fantastic brilliant enjoy enjoyed enjoying cheerful grateful thankful proud smile laugh haha lol beautiful perfect best nice ";
const SADNESS = " sad unhappy depressed depressing lonely miss missed missing cry crying cried tears heartbroken hurt grief grieving sorry upset down miserable gloomy disappointed disappointing lost loss alone tired exhausted ";
const ANGER = " angry mad furious annoyed annoying irritated irritating hate hated rage outraged pissed frustrated frustrating ridiculous stupid useless unacceptable worst terrible awful disgusting sick fed ";
const FEAR = " afraid scared fear frightened terrified worried worry worrying anxious anxiety nervous panic panicking dread scary horrified concerned uneasy ";
const SURPRISE = " wow whoa surprised surprising shocked shocking unexpected amazed astonished unbelievable incredible omg what?! really?! ";

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
  const rules = ruleScore(text, parsed);
  const ruleCompound = normalise(rules.sum);
  const hashes = featureHashes(text, parsed);
  const side = polarity(hashes, ruleCompound);
  const out = new Analysis();
  out.label = labelOf(side, feeling(hashes, ruleCompound), ruleCompound);
  out.compound = compoundOf(side, out.label);
  // The shares of positive, negative and neutral words, as VADER reports them.
  let pos: f64 = 0, neg: f64 = 0, neu: f64 = 0;
  const valences = rules.valences;
  for (let i = 0; i < valences.length; i++) {
    const v = valences[i];
    if (v > 0) pos += v + 1;
    else if (v < 0) neg += -v + 1;
    else neu += 1;
  }
  const total = pos + neg + neu;
  if (total > 0) { out.pos = pos / total; out.neg = neg / total; out.neu = neu / total; } else out.neu = 1;
  out.emotion = emotionOf(parsed.words, out.compound, text);
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
