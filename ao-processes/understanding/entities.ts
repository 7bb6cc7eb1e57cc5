// Entities: emails, URLs, dates and times, numbers, and people and places (from cues and capitals).
import { inList, rawTokens, trimPunctuation } from '../lib/text';
import { Fact } from './facts';

export class Entity {
  constructor(public type: string, public text: string) {}
}

const DAYS = " monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday tonight weekend ";
const MONTHS = " january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ";
const TIME_WORDS = " noon midnight morning afternoon evening ";
const PLACE_CUES = " in from to at near visiting visit ";
const PERSON_CUES = " with my friend sister brother mom mum dad wife husband boss colleague son daughter named called ";
const NOT_PROPER = " I I'm I've I'll I'd The A An And But So My Your Our It This That What Who How Why When Where Hi Hello Hey Thanks Please Yes No Ok Okay ";
const KNOWN_PLACES = " lisbon porto madrid barcelona paris london berlin rome milan amsterdam new york tokyo kyoto sydney boston chicago toronto dublin vienna prague athens istanbul cairo mumbai delhi beijing shanghai seoul singapore mexico brazil spain france germany italy portugal england ireland scotland japan china india canada australia usa america europe africa azores baltic ";

function isDigit(c: i32): bool { return c >= 48 && c <= 57; }

function allDigitsOrSeparators(word: string): bool {
  let digits = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c != 46 && c != 44 && c != 47 && c != 45 && c != 58) return false;
  }
  return digits > 0;
}

class EntityList {
  items: Entity[] = [];
  seen: Set<string> = new Set<string>();
  add(type: string, value: string): void {
    const key = type + ':' + value;
    if (value.length == 0 || this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(new Entity(type, value));
  }
}

export function findEntities(text: string, raw: string[], facts: Fact[]): Entity[] {
  const list = new EntityList();
  for (let i = 0; i < facts.length; i++) {
    if (facts[i].kind == 'name') list.add('person', facts[i].text);
    if (facts[i].kind == 'location') list.add('place', facts[i].text);
  }
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i];
    const word = trimPunctuation(token);
    const lower = word.toLowerCase();
    if (word.length == 0) continue;
    if (token.indexOf('@') > 0 && token.indexOf('.') > token.indexOf('@')) { list.add('email', trimPunctuation(token)); continue; }
    if (token.startsWith('http://') || token.startsWith('https://') || token.startsWith('www.')) {
      let url = token;
      while (url.length > 0 && '.,!?;:)'.indexOf(url.charAt(url.length - 1)) >= 0) url = url.substring(0, url.length - 1);
      list.add('url', url);
      continue;
    }
    if (allDigitsOrSeparators(word)) {
      // 12:30 is a time; 2026-11-25 and 25/11 are dates; the rest are numbers.
      if (word.indexOf(':') > 0) list.add('time', word);
      else if (word.indexOf('/') > 0 || (word.indexOf('-') > 0 && word.length >= 8)) list.add('date', word);
      else {
        const next = i + 1 < raw.length ? trimPunctuation(raw[i + 1]).toLowerCase() : '';
        if (next == 'am' || next == 'pm') list.add('time', word + ' ' + next);
        else if (i > 0 && inList(trimPunctuation(raw[i - 1]).toLowerCase(), MONTHS)) list.add('date', trimPunctuation(raw[i - 1]) + ' ' + word);
        else if (inList(next, MONTHS)) list.add('date', word + ' ' + trimPunctuation(raw[i + 1]));
        else list.add('number', word);
      }
      continue;
    }
    if ((lower.endsWith('am') || lower.endsWith('pm')) && lower.length <= 7 && isDigit(lower.charCodeAt(0))) { list.add('time', word); continue; }
    if (inList(lower, DAYS)) { list.add('date', word); continue; }
    if (inList(lower, TIME_WORDS)) { list.add('time', word); continue; }
    if (inList(lower, KNOWN_PLACES)) {
      // "New York": take the following capitalised word too.
      const next = i + 1 < raw.length ? trimPunctuation(raw[i + 1]) : '';
      list.add('place', lower == 'new' && next.length > 0 ? word + ' ' + next : word);
      continue;
    }
    const c = word.charCodeAt(0);
    const capital = c >= 65 && c <= 90;
    if (!capital || i == 0 || inList(word, NOT_PROPER)) continue;
    // A capitalised word after a cue: "to Lisbon" is a place, "with Maria" a person.
    const prev = trimPunctuation(raw[i - 1]).toLowerCase();
    const prevEnds = raw[i - 1].charCodeAt(raw[i - 1].length - 1);
    if (prevEnds == 46 || prevEnds == 33 || prevEnds == 63) continue; // sentence start
    if (inList(prev, PLACE_CUES)) list.add('place', word);
    else if (inList(prev, PERSON_CUES) || prev == 'and') list.add('person', word);
  }
  return list.items;
}
