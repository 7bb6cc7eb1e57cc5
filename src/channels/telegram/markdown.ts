/**
 * Telegram MarkdownV2: every special character outside an entity must be escaped, or the Bot
 * API answers 400 "can't parse entities". Model output keeps **bold**, *italic*, `code` and
 * [links](https://...); everything else is escaped.
 */
const SPECIAL = /[_*[\]()~`>#+\-=|{}.!\\]/g;

export const escapeMarkdownV2 = (text: string) => text.replace(SPECIAL, (c) => `\\${c}`);
const escapeCode = (text: string) => text.replace(/[`\\]/g, (c) => `\\${c}`);
const escapeUrl = (text: string) => text.replace(/[)\\]/g, (c) => `\\${c}`);

export function toMarkdownV2(text: string): string {
  // Single * and _ count as italics only at word edges, so 2*3*4 and snake_case stay literal.
  const pattern = /\*\*([^*\n]+)\*\*|(?<![\w*])\*(?![\s*])([^*\n]*[^*\s])\*(?![\w*])|(?<!\w)_(?!\s)([^_\n]*[^_\s])_(?!\w)|`([^`\n]+)`|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out += escapeMarkdownV2(text.slice(last, match.index));
    if (match[1] !== undefined) out += `*${escapeMarkdownV2(match[1])}*`;
    else if (match[2] !== undefined) out += `_${escapeMarkdownV2(match[2])}_`;
    else if (match[3] !== undefined) out += `_${escapeMarkdownV2(match[3])}_`;
    else if (match[4] !== undefined) out += `\`${escapeCode(match[4])}\``;
    else out += `[${escapeMarkdownV2(match[5] ?? '')}](${escapeUrl(match[6] ?? '')})`;
    last = (match.index ?? 0) + match[0].length;
  }
  return out + escapeMarkdownV2(text.slice(last));
}

export const TELEGRAM_LIMIT = 4096;

/**
 * Splits text into parts that stay under Telegram's limit once formatted, preferring
 * paragraph, line, sentence and word boundaries.
 */
export function splitForTelegram(text: string, limit = TELEGRAM_LIMIT, format: (part: string) => string = toMarkdownV2): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    if (format(rest).length <= limit) {
      parts.push(rest);
      break;
    }
    // Escaping at most doubles the length: start from half the limit and grow while it fits.
    let cut = Math.min(rest.length, Math.floor(limit / 2));
    for (const boundary of ['\n\n', '\n', '. ', ' ']) {
      const at = rest.lastIndexOf(boundary, Math.min(rest.length, limit));
      if (at > limit / 4 && format(rest.slice(0, at + boundary.length)).length <= limit) {
        cut = at + boundary.length;
        break;
      }
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return parts.filter((part) => part.length > 0);
}
