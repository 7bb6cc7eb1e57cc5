// Understanding process: intent, entities, question detection, language, topics, and facts
// worth remembering — deterministic rules over the message text.
// Action=Analyze (text in Data) → Action=Analyzed to Reply-To or the sender, Data = the analysis.
import { serveAnalysis } from '../lib/analysis-process';
import { quote } from '../lib/json';
import { hasPhrase, inList, rawTokens, words } from '../lib/text';
import { detectLanguage } from './language';
import { findEntities, Entity } from './entities';
import { findFacts, Fact } from './facts';
import { findTopics } from './topics';
export { __wasm_call_ctors, emscripten_stack_init, emscripten_stack_get_end, emscripten_stack_get_current, _emscripten_stack_alloc, _emscripten_stack_restore } from '../lib/abi';

const GREETINGS = " hi hii hiii hello helo ello hey heyy heyyy heya hiya howdy yo hola buenas bonjour salut coucou hallo servus moin ciao olá ola oi hoi hallå greetings sup morning evening ";
const GREETING_PHRASES: string[] = ['good morning', 'good afternoon', 'good evening', 'buenos días', 'buenos dias', 'buenas tardes', 'guten morgen', 'guten tag', 'bom dia', 'boa tarde', 'buongiorno', 'goedemorgen', 'goedendag'];
const FAREWELLS = " bye byee goodbye byebye cya ttyl night nite adiós adios adieu tschüss tschüs tchau arrivederci doei later ";
const FAREWELL_PHRASES: string[] = ['take care', 'catch you later', 'talk to you', "i'm off", 'i am off', 'heading out', 'logging off', 'signing off', 'peace out', 'sleep well', 'have a good night', 'have a nice day', 'have a good one', 'until tomorrow', 'à plus', 'a plus tard', 'bis morgen', 'até logo', 'até amanhã', 'a domani', 'ci vediamo', 'hasta pronto', 'see you', 'see ya', 'good night', 'goodnight', 'talk later', 'talk to you later', 'gotta go', 'got to go', 'have to go', 'i have to go', 'i must go', 'until next time', 'au revoir', 'à bientôt', 'hasta luego', 'hasta mañana', 'bis später', 'bis bald', 'gute nacht', 'buona notte', 'boa noite', 'buenas noches', 'bonne nuit', 'later!'];
const THANKS = " thanks thank thx ty tysm thanx cheers gracias merci danke grazie obrigado obrigada bedankt dank appreciate appreciated ";
const SMALLTALK_PHRASES: string[] = ['how are you', "how's it going", 'how is it going', "what's up", 'whats up', 'how r u', 'how are u', 'how have you been', "how's your day", 'how is your day', 'what are you up to', 'wyd', 'how do you do', 'are you a bot', 'are you human', 'who are you', 'tell me about yourself', 'do you like', 'what do you think of', 'lol', 'lmao', 'haha', 'nice weather', 'me too', 'same here', 'cool', 'ok', 'okay', 'hmm', 'i see', 'interesting', 'fair enough', 'nothing much', 'not much'];
// Bare imperatives are commands ("set a timer", "clear the chat"); polite asks are requests.
const COMMAND_STARTS = " stop reset set show clear translate tell remind delete list turn cancel mute unmute start restart undo redo repeat play pause open close send add remove change switch save call find search give write make create schedule book summarize summarise explain calculate convert forget email text message read skip enable disable help menu settings quit exit continue go ";
const REQUEST_STARTS = " please pls plz can could would will i'd ";
const REQUEST_PHRASES: string[] = ['can you', 'could you', 'would you', 'will you', 'help me', 'i need you to', 'i want you to', "i'd like you to", 'i would like you to', 'please', 'let me know', 'remind me', 'tell me', 'show me', 'give me', 'do me a favor', 'i need help', 'puedes', 'peux-tu', 'pourrais-tu', 'kannst du', 'könntest du', 'puoi', 'você pode', 'kun je'];
const COMPLAINT_WORDS = " useless broken terrible awful horrible worst rubbish garbage trash stupid dumb annoying frustrating ridiculous unacceptable disappointing disappointed slow wrong buggy laggy unusable pathetic incompetent sucks crashing crashes crashed crash freezes frozen lagging ugh ";
const COMPLAINT_PHRASES: string[] = ['not listening', 'same answer', 'too long', 'too short', 'too slow', 'keeps crashing', 'keeps freezing', 'keeps repeating', 'not what i asked', 'not what i meant', 'you ignored', 'you ignore', 'you forgot', 'you got it wrong', 'wrong answer', 'no sense', 'stop repeating', 'still broken', 'still not', 'again?!', "doesn't work", 'does not work', "didn't work", 'not working', "isn't working", 'stopped working', "doesn't help", 'not helpful', 'waste of time', 'you never', 'you always', 'you keep', 'you forgot', "you don't understand", 'you misunderstood', "that's not what i", 'that is not what i', 'makes no sense', 'this is bad', 'i want a refund', 'i am not happy', "i'm not happy", 'fed up', 'sick of', 'tired of'];
const COMPLAINT_TARGETS = " you you're youre your this it that bot app service answer answers reply replies response ";
const QUESTION_WORDS = " what who whom whose where when why how which is are am was were do does did can could would will should shall have has had may might isn't aren't don't doesn't didn't can't won't qué que quién quien dónde donde cuándo cuando cómo como por porque cuál cual quoi qui où ou quand comment pourquoi quel quelle est-ce was wer wo wann wie warum welche welcher cosa chi dove quando perché perche quale o quem onde wat wie waar wanneer waarom hoe ";
const SHARE_PHRASES: string[] = ['my name is', "i'm from", 'i am from', 'i live', 'i work', "i'm a ", 'i am a ', 'i have', "i've", 'i got', 'i just', 'i went', 'i was', 'i like', 'i love', 'i hate', 'i enjoy', 'i prefer', 'my ', "i'm ", 'i am ', 'we ', 'today i', 'yesterday i', 'me llamo', 'je suis', "j'ai", "j'aime", 'ich bin', 'ich habe', 'mi chiamo', 'eu sou', 'ik ben'];

function startsWithAny(lower: string, phrases: string[]): bool {
  for (let i = 0; i < phrases.length; i++) if (lower.startsWith(phrases[i])) return true;
  return false;
}
function containsAny(lower: string, phrases: string[]): bool {
  for (let i = 0; i < phrases.length; i++) if (hasPhrase(lower, phrases[i])) return true;
  return false;
}

export function isQuestion(text: string, tokens: string[]): bool {
  const trimmed = text.trim();
  if (trimmed.endsWith('?') || trimmed.indexOf('¿') >= 0) return true;
  if (tokens.length == 0) return false;
  const first = tokens[0];
  // "what ...", "is it ...", "do you ..." without a question mark still ask.
  if (inList(first, QUESTION_WORDS) && tokens.length >= 3 && !inList(first, ' is are was were am have has had may might will would can could should do does did ')) return true;
  if (inList(first, ' do does did can could would will should is are am was were have has ') && tokens.length >= 3 && inList(tokens[1], ' you i we they he she it there this that your my ')) return true;
  return false;
}

export function intentOf(text: string, tokens: string[], question: bool): string {
  const lower = text.toLowerCase().trim();
  if (lower.startsWith('/')) return 'command';
  const first = tokens.length > 0 ? tokens[0] : '';
  const short = tokens.length <= 6;
  if (tokens.length > 0 && inList(first, THANKS) && tokens.length <= 10 && !question) return 'thanks';
  if (tokens.length > 0 && (hasPhrase(lower, 'thank you') || hasPhrase(lower, 'thanks')) && tokens.length <= 8 && !question) return 'thanks';
  if (short && (inList(first, FAREWELLS) || startsWithAny(lower, FAREWELL_PHRASES))) return 'farewell';
  if (tokens.length <= 8 && containsAny(lower, FAREWELL_PHRASES) && !question) return 'farewell';
  // Complaints: negative words about the bot or the service, or "it doesn't work".
  let complaintWord = false;
  let target = false;
  for (let i = 0; i < tokens.length; i++) {
    if (inList(tokens[i], COMPLAINT_WORDS)) complaintWord = true;
    if (inList(tokens[i], COMPLAINT_TARGETS)) target = true;
  }
  if (containsAny(lower, COMPLAINT_PHRASES) || (complaintWord && target)) return 'complaint';
  const greetingStart = inList(first, GREETINGS) || startsWithAny(lower, GREETING_PHRASES);
  const smalltalk = containsAny(lower, SMALLTALK_PHRASES);
  if (greetingStart && (short || smalltalk) && !hasPhrase(lower, 'can you') && !hasPhrase(lower, 'could you')) return 'greeting';
  if (startsWithAny(lower, REQUEST_PHRASES) || containsAny(lower, REQUEST_PHRASES) || inList(first, REQUEST_STARTS) || hasPhrase(lower, 'i need') || hasPhrase(lower, "i'd like")) return 'request';
  if (inList(first, COMMAND_STARTS) && !question) return 'command';
  if (smalltalk && tokens.length <= 8) return 'smalltalk';
  // Questions about the bot itself ("do you like music?", "are you a robot?") are small talk.
  if (question && tokens.length <= 9 && (hasPhrase(lower, 'you') || hasPhrase(lower, 'your') || hasPhrase(lower, 'u')) && !hasPhrase(lower, 'do you know') && !hasPhrase(lower, 'can you')) return 'smalltalk';
  if (question) return 'question';
  if (startsWithAny(lower, SHARE_PHRASES) || hasPhrase(lower, 'my name') || hasPhrase(lower, 'i live') || hasPhrase(lower, 'i work')) return tokens.length >= 3 ? 'share-information' : 'smalltalk';
  if (tokens.length >= 4) return 'share-information';
  return 'smalltalk';
}

function entitiesJson(entities: Entity[]): string {
  const parts: string[] = [];
  for (let i = 0; i < entities.length; i++) parts.push('{"type":' + quote(entities[i].type) + ',"text":' + quote(entities[i].text) + '}');
  return '[' + parts.join(',') + ']';
}
function factsJson(facts: Fact[]): string {
  const parts: string[] = [];
  for (let i = 0; i < facts.length; i++) parts.push('{"kind":' + quote(facts[i].kind) + ',"text":' + quote(facts[i].text) + '}');
  return '[' + parts.join(',') + ']';
}
function stringsJson(items: string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) parts.push(quote(items[i]));
  return '[' + parts.join(',') + ']';
}

export function understand(text: string): string {
  const tokens = words(text);
  const question = isQuestion(text, tokens);
  const intent = intentOf(text, tokens, question);
  const facts = findFacts(text, rawTokens(text));
  const entities = findEntities(text, rawTokens(text), facts);
  return '{"intent":' + quote(intent) + ',"isQuestion":' + (question ? 'true' : 'false') + ',"language":' + quote(detectLanguage(text, tokens)) +
    ',"entities":' + entitiesJson(entities) + ',"topics":' + stringsJson(findTopics(tokens)) + ',"facts":' + factsJson(facts) + ',"version":1}';
}

export function handle(msgPtr: usize, envPtr: usize): usize {
  return serveAnalysis(msgPtr, envPtr, 'understanding', understand);
}
