// The reply plan: how to answer, from what Understanding and Sentiment found.
import { J_ARR, Json, parseJson, quote } from '../lib/json';

export function planFor(understandingJson: string, sentimentJson: string): string {
  const u = parseJson(understandingJson);
  const s = parseJson(sentimentJson);
  const intent = u.getString('intent');
  const label = s.getString('label');
  const emotion = s.getString('emotion');
  const compound = s.getNumber('compound');

  let tone = 'warm';
  if (intent == 'complaint') tone = 'apologetic';
  else if (label == 'negative' && (emotion == 'sadness' || emotion == 'fear')) tone = 'empathetic';
  else if (label == 'negative' && emotion == 'anger') tone = 'calm';
  else if (label == 'negative') tone = 'empathetic';
  else if (label == 'positive' && compound >= 0.5) tone = 'cheerful';
  else if (intent == 'question' || intent == 'request' || intent == 'command') tone = 'neutral';

  let length = 'short';
  if (intent == 'question' || intent == 'request' || intent == 'complaint') length = 'medium';
  if (intent == 'request' && u.getString('language') == 'en' && understandingJson.indexOf('"explain') >= 0) length = 'long';

  const acknowledge: string[] = [];
  const facts = u.get('facts');
  if (facts != null && facts.kind == J_ARR) {
    for (let i = 0; i < facts.items.length; i++) {
      const fact: Json = facts.items[i];
      const kind = fact.getString('kind');
      const text = fact.getString('text');
      if (kind == 'name') acknowledge.push("the user's name is " + text);
      else if (kind == 'location') acknowledge.push('the user lives in or comes from ' + text);
      else if (kind == 'preference') acknowledge.push('the user likes ' + text);
      else if (kind == 'dislike') acknowledge.push('the user dislikes ' + text);
      else if (kind == 'job') acknowledge.push('the user works as/at ' + text);
      else if (kind == 'age') acknowledge.push('the user is ' + text + ' years old');
      else if (kind == 'pet') acknowledge.push('the user has a ' + text);
    }
  }
  if (label == 'negative' && emotion != 'neutral') acknowledge.push('the user seems to feel ' + (emotion == 'sadness' ? 'sad' : emotion == 'anger' ? 'frustrated' : emotion == 'fear' ? 'worried' : emotion));
  if (intent == 'thanks') acknowledge.push('the user is thanking you');
  if (intent == 'complaint') acknowledge.push('the user is unhappy with you: own the problem');
  if (intent == 'farewell') acknowledge.push('the user is leaving: say goodbye');
  const language = u.getString('language');
  if (language.length > 0 && language != 'en' && language != 'und') acknowledge.push('answer in the language with code ' + language);

  const parts: string[] = [];
  for (let i = 0; i < acknowledge.length; i++) parts.push(quote(acknowledge[i]));
  return '{"tone":' + quote(tone) + ',"length":' + quote(length) + ',"acknowledge":[' + parts.join(',') + ']}';
}
