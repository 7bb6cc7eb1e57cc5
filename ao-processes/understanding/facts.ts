// Facts worth remembering, from first-person statements: name, location, likes, dislikes, job, age, pets.
import { rawTokens, trimPunctuation } from '../lib/text';

export class Fact {
  constructor(public kind: string, public text: string) {}
}

const STOP = " and but because so or which who that when where while since though et mais und aber y pero e ma en maar , . ! ? ; ";

/** The words after a cue, up to a clause boundary (punctuation, "and", "but", ...), at most `max` words. */
function phraseAfter(text: string, lowerCue: string, max: i32): string {
  const lower = text.toLowerCase();
  const at = lower.indexOf(lowerCue);
  if (at < 0) return '';
  const before = at == 0 ? 32 : lower.charCodeAt(at - 1);
  if ((before >= 97 && before <= 122) || before == 39) return '';
  const rest = text.substring(at + lowerCue.length);
  const tokens = rawTokens(rest);
  const picked: string[] = [];
  for (let i = 0; i < tokens.length && picked.length < max; i++) {
    const raw = tokens[i];
    const word = trimPunctuation(raw);
    if (word.length == 0) break;
    if (STOP.indexOf(' ' + word.toLowerCase() + ' ') >= 0) break;
    picked.push(word);
    const last = raw.charCodeAt(raw.length - 1);
    if (last == 44 || last == 46 || last == 33 || last == 63 || last == 59) break;
  }
  return picked.join(' ');
}

function capitalizedRun(phrase: string): string {
  const tokens = rawTokens(phrase);
  const picked: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const c = tokens[i].charCodeAt(0);
    if ((c >= 65 && c <= 90) || c >= 0xc0) picked.push(tokens[i]);
    else break;
  }
  return picked.join(' ');
}

const NOT_NAMES = " a an the not so very really just here back fine good ok okay sorry tired happy sad from in at going looking trying new glad sure ";

function nameFrom(phrase: string, requireCapital: bool): string {
  const first = phrase.split(' ')[0];
  if (first.length == 0 || NOT_NAMES.indexOf(' ' + first.toLowerCase() + ' ') >= 0) return '';
  if (requireCapital) return capitalizedRun(phrase);
  return phrase.split(' ').slice(0, 2).join(' ');
}

export function findFacts(text: string, _raw: string[]): Fact[] {
  const facts: Fact[] = [];
  let name = nameFrom(phraseAfter(text, 'my name is ', 3), false);
  if (name.length == 0) name = nameFrom(phraseAfter(text, 'call me ', 2), false);
  if (name.length == 0) name = nameFrom(phraseAfter(text, "i'm called ", 2), false);
  if (name.length == 0) name = nameFrom(phraseAfter(text, 'me llamo ', 2), false);
  if (name.length == 0) name = nameFrom(phraseAfter(text, "je m'appelle ", 2), false);
  if (name.length == 0) name = nameFrom(phraseAfter(text, 'ich heiße ', 2), false);
  if (name.length == 0) name = nameFrom(phraseAfter(text, 'mi chiamo ', 2), false);
  if (name.length == 0) name = nameFrom(phraseAfter(text, "i'm ", 2), true);
  if (name.length == 0) name = nameFrom(phraseAfter(text, 'i am ', 2), true);
  if (name.length > 0) facts.push(new Fact('name', name));

  let place = phraseAfter(text, 'i live in ', 4);
  if (place.length == 0) place = phraseAfter(text, "i'm from ", 4);
  if (place.length == 0) place = phraseAfter(text, 'i am from ', 4);
  if (place.length == 0) place = phraseAfter(text, 'i moved to ', 4);
  if (place.length == 0) place = phraseAfter(text, 'vivo en ', 4);
  if (place.length == 0) place = phraseAfter(text, "j'habite à ", 4);
  if (place.length == 0) place = phraseAfter(text, 'ich wohne in ', 4);
  if (place.length > 0) facts.push(new Fact('location', place));

  const likes: string[] = ['i love ', 'i like ', 'i enjoy ', 'i adore ', "i'm into ", 'i am into ', 'my favorite ', 'my favourite ', "j'aime ", 'me gusta ', 'ich mag ', 'mi piace '];
  for (let i = 0; i < likes.length; i++) {
    const what = phraseAfter(text, likes[i], 5);
    if (what.length > 0 && what.toLowerCase() != 'you' && what.toLowerCase() != 'it' && what.toLowerCase() != 'that') {
      facts.push(new Fact('preference', likes[i].startsWith('my fav') ? 'favourite ' + what : what));
      break;
    }
  }
  const dislikes: string[] = ['i hate ', "i don't like ", 'i do not like ', 'i dislike ', "i can't stand ", 'i cannot stand '];
  for (let i = 0; i < dislikes.length; i++) {
    const what = phraseAfter(text, dislikes[i], 5);
    if (what.length > 0 && what.toLowerCase() != 'you' && what.toLowerCase() != 'it' && what.toLowerCase() != 'that') { facts.push(new Fact('dislike', what)); break; }
  }
  let job = phraseAfter(text, 'i work as ', 4);
  if (job.length == 0) job = phraseAfter(text, 'i work at ', 4);
  if (job.length == 0) job = phraseAfter(text, "i'm a ", 3).endsWith('er') ? phraseAfter(text, "i'm a ", 3) : '';
  if (job.length == 0) job = phraseAfter(text, 'my job is ', 4);
  if (job.length > 0) facts.push(new Fact('job', job));
  const age = phraseAfter(text, "i'm ", 3);
  const agePhrase = age.length > 0 ? age : phraseAfter(text, 'i am ', 3);
  if (agePhrase.indexOf('years old') > 0 || agePhrase.indexOf('year old') > 0) facts.push(new Fact('age', agePhrase.split(' ')[0]));
  const pet = phraseAfter(text, 'i have a ', 4);
  if (pet.startsWith('dog') || pet.startsWith('cat') || pet.startsWith('parrot') || pet.startsWith('rabbit') || pet.startsWith('hamster')) facts.push(new Fact('pet', pet));
  return facts;
}
