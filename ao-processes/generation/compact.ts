// What Generation keeps of each analysis while a turn is half-joined. Its turn table has fixed
// slots, so an analysis is rebuilt in the same shape with its lists cut until it fits the
// slot: a long message's analysis is never truncated into invalid JSON.
import { J_ARR, J_BOOL, Json, num, parseJson, quote } from '../lib/json';

const ITEM_CHARS = 160;

/** At most `max` characters, never splitting a surrogate pair. */
function clip(text: string, max: i32): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.substring(0, end);
}

function listOf(value: Json | null): Json[] {
  return value != null && value.kind == J_ARR ? value.items : [];
}

function pair(item: Json, first: string, second: string): string {
  return '{"' + first + '":' + quote(clip(item.getString(first), ITEM_CHARS)) + ',"' + second + '":' + quote(clip(item.getString(second), ITEM_CHARS)) + '}';
}

/** Adds items' JSON while they fit in `budget` bytes (a comma each); returns what is left. */
function fill(pieces: string[], out: string[], budget: i32): i32 {
  for (let i = 0; i < pieces.length; i++) {
    const size = String.UTF8.byteLength(pieces[i]) + 1;
    if (size > budget) break;
    out.push(pieces[i]);
    budget -= size;
  }
  return budget;
}

/**
 * Understanding's analysis in at most `maxBytes` of UTF-8, in its own shape. What does not
 * fit is left out, least needed first: entities, then topics, then facts (the plan uses facts).
 */
export function compactUnderstanding(json: string, maxBytes: i32): string {
  const u = parseJson(json);
  const question = u.get('isQuestion');
  const head = '{"intent":' + quote(clip(u.getString('intent'), 40)) + ',"isQuestion":' + (question != null && question.kind == J_BOOL && question.bool ? 'true' : 'false') +
    ',"language":' + quote(clip(u.getString('language'), 16));
  const facts: string[] = [];
  const topics: string[] = [];
  const entities: string[] = [];
  const factItems = listOf(u.get('facts'));
  for (let i = 0; i < factItems.length; i++) facts.push(pair(factItems[i], 'kind', 'text'));
  const topicItems = listOf(u.get('topics'));
  for (let i = 0; i < topicItems.length; i++) topics.push(quote(clip(topicItems[i].str, ITEM_CHARS)));
  const entityItems = listOf(u.get('entities'));
  for (let i = 0; i < entityItems.length; i++) entities.push(pair(entityItems[i], 'type', 'text'));
  const frame = head + ',"entities":[],"topics":[],"facts":[],"version":1}';
  let budget = maxBytes - String.UTF8.byteLength(frame);
  const keptFacts: string[] = [];
  const keptTopics: string[] = [];
  const keptEntities: string[] = [];
  budget = fill(facts, keptFacts, budget);
  budget = fill(topics, keptTopics, budget);
  fill(entities, keptEntities, budget);
  return head + ',"entities":[' + keptEntities.join(',') + '],"topics":[' + keptTopics.join(',') + '],"facts":[' + keptFacts.join(',') + '],"version":1}';
}

/** Sentiment's analysis, rebuilt from its fields (always small). */
export function compactSentiment(json: string): string {
  const s = parseJson(json);
  const polarity = s.get('polarity');
  const pos = polarity != null ? polarity.getNumber('pos') : 0;
  const neg = polarity != null ? polarity.getNumber('neg') : 0;
  const neu = polarity != null ? polarity.getNumber('neu') : 0;
  return '{"compound":' + num(s.getNumber('compound')) + ',"label":' + quote(clip(s.getString('label'), 16)) + ',"polarity":{"pos":' + num(pos) + ',"neg":' + num(neg) + ',"neu":' + num(neu) +
    '},"emotion":' + quote(clip(s.getString('emotion'), 16)) + ',"version":1}';
}
