/**
 * A naive intent baseline: fixed keyword lists per intent, written from general knowledge of
 * how people talk to chatbots (not fitted to the eval set). Each matching keyword scores one
 * point; the best score wins, ties go to the earlier intent in `ORDER`; with no match, a
 * trailing "?" means question and anything else is taken as sharing information.
 */
import type { Intent } from './dataset.js';

const KEYWORDS: Record<Intent, readonly string[]> = {
  greeting: ['hi', 'hello', 'hey', 'hiya', 'howdy', 'good morning', 'good afternoon', 'good evening', 'greetings', 'hola', 'bonjour', 'hallo', 'ciao', 'olá'],
  farewell: ['bye', 'goodbye', 'see you', 'see ya', 'later', 'good night', 'goodnight', 'take care', 'gotta go', 'ttyl', 'adiós', 'au revoir', 'tschüss'],
  thanks: ['thanks', 'thank you', 'thx', 'ty', 'appreciate', 'grateful', 'cheers', 'gracias', 'merci', 'danke', 'grazie', 'obrigado'],
  complaint: ['wrong', 'useless', 'terrible', 'awful', 'worst', 'annoying', 'broken', 'crash', 'crashing', 'slow', 'not working', "doesn't work", "didn't work", 'hate', 'fed up', 'bad', 'late'],
  request: ['can you', 'could you', 'would you', 'please', 'pls', 'i need', "i'd like", 'help me', 'recommend', 'suggest'],
  command: ['stop', 'reset', 'set', 'show', 'clear', 'delete', 'cancel', 'remind me', 'list', 'start', 'open', 'turn off', 'turn on', 'repeat', 'undo', 'save', 'add', 'tell me'],
  question: ['what', 'who', 'where', 'when', 'why', 'how', 'which', 'is it', 'are there', 'does', 'do'],
  smalltalk: ['how are you', 'bored', 'lol', 'haha', 'your favorite', 'your favourite', 'do you like', 'are you', 'weather', 'weekend'],
  'share-information': ['my name is', 'i live', 'i am', "i'm", 'i have', 'i work', 'my ', 'i study'],
};

const ORDER: readonly Intent[] = [
  'greeting',
  'farewell',
  'thanks',
  'complaint',
  'request',
  'command',
  'smalltalk',
  'question',
  'share-information',
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Keywords match whole words (Unicode-aware), so "hi" does not fire inside "this".
const PATTERNS: Array<[Intent, RegExp[]]> = ORDER.map((intent) => [
  intent,
  KEYWORDS[intent].map((k) => new RegExp(`(?<![\\p{L}\\p{N}'])${escape(k.trim())}(?![\\p{L}\\p{N}])`, 'iu')),
]);

export function keywordIntent(text: string): Intent {
  let best: Intent | undefined;
  let bestScore = 0;
  for (const [intent, patterns] of PATTERNS) {
    const score = patterns.filter((p) => p.test(text)).length;
    if (score > bestScore) {
      best = intent;
      bestScore = score;
    }
  }
  if (best) return best;
  return text.trim().endsWith('?') ? 'question' : 'share-information';
}
