/**
 * The widget's browser code, a plain script kept as an asset so it is served as written, but
 * for the values the server owns: the message limit is filled in from the one the API enforces.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MAX_MESSAGE_CHARS } from '../../conversation/input.js';
import { UnavailableError } from '../../errors.js';
import { packageRoot } from '../../package-root.js';

const file = path.join(packageRoot(), 'src', 'channels', 'web', 'assets', 'widget.js');
const LIMIT_SLOT = '{{MAX_MESSAGE_CHARS}}';

/** The script as served; a script without the slot would let the browser send what the API refuses. */
export function filledWidget(source: string, where = file): string {
  if (!source.includes(LIMIT_SLOT)) {
    throw new UnavailableError(`${where} has no ${LIMIT_SLOT} for the message limit`, { hint: `restore \`var maxMessageChars = '${LIMIT_SLOT}';\` in the widget script` });
  }
  return source.replaceAll(LIMIT_SLOT, String(MAX_MESSAGE_CHARS));
}

export const widgetScript = filledWidget(readFileSync(file, 'utf8'));
/** When the script last changed: its Last-Modified. */
export const widgetModified = statSync(file).mtime;
