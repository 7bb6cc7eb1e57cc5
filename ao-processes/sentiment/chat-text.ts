// Chat text as Sentiment reads it. Addresses carry no feeling: "@united" is a name, not
// "united" (+1), and a URL's words are not the writer's. Hashtags are words run together:
// "#BestDayEver" reads as "best day ever". A long emoticon is the short one said louder:
// ":(((" is ":(".
import { rawTokens } from '../lib/text';

function isUpper(c: i32): bool { return c >= 65 && c <= 90; }
function isLower(c: i32): bool { return c >= 97 && c <= 122; }
function isDigit(c: i32): bool { return c >= 48 && c <= 57; }

function isUrl(token: string): bool {
  const lower = token.toLowerCase();
  return lower.startsWith('http://') || lower.startsWith('https://') || lower.startsWith('www.');
}

/** "#BestDayEver" → "best day ever", "#so_tired" → "so tired"; a tag in one case stays one word. */
export function splitHashtag(tag: string): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= tag.length; i++) {
    const at = i < tag.length ? tag.charCodeAt(i) : 32;
    const before = tag.charCodeAt(i - 1);
    const boundary = i == tag.length || at == 95 || at == 45 || (isUpper(at) && isLower(before)) || (isDigit(at) != isDigit(before));
    if (!boundary) continue;
    if (i > start) parts.push(tag.substring(start, i));
    start = at == 95 || at == 45 ? i + 1 : i;
  }
  // Lowercase: a tag in capitals is not shouting.
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) if (parts[i].length > 0) words.push(parts[i].toLowerCase());
  return words.join(' ');
}

const EYES = ':;=8xX';
const MOUTHS = '()[]DPpO/|3<>';

/** ":(((" → ":(", ":-DDD" → ":-D", ";)))" → ";)"; anything else unchanged. */
export function shortEmoticon(token: string): string {
  if (token.length < 3 || EYES.indexOf(token.charAt(0)) < 0) return token;
  let at = 1;
  if (token.charAt(at) == '-' || token.charAt(at) == "'") at++;
  if (at >= token.length) return token;
  const mouth = token.charAt(at);
  if (MOUTHS.indexOf(mouth) < 0) return token;
  for (let i = at + 1; i < token.length; i++) if (token.charAt(i) != mouth) return token;
  return token.substring(0, at + 1);
}

/** The text with handles and links left out, hashtags split into words, emoticons shortened. */
export function chatText(text: string): string {
  // Line breaks end clauses: keep them as their own tokens' separators.
  const lines = text.split('\n');
  const outLines: string[] = [];
  for (let l = 0; l < lines.length; l++) {
    const tokens = rawTokens(lines[l]);
    const kept: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.startsWith('@') && token.length > 1) continue;
      if (isUrl(token)) continue;
      if (token.startsWith('#') && token.length > 1) {
        kept.push(splitHashtag(token.substring(1)));
        continue;
      }
      kept.push(shortEmoticon(token));
    }
    outLines.push(kept.join(' '));
  }
  return outLines.join('\n');
}
