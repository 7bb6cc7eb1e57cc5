/** Cleaning and checking what a person typed, before anything else sees it. */
import { InputError } from '../errors.js';
import { withoutControls } from './control-chars.js';

export const MAX_MESSAGE_CHARS = 4000;

/**
 * Returns the text with lone surrogates repaired and control characters (other than newline
 * and tab) removed; rejects empty and oversized messages with a message saying what to send.
 */
export function cleanMessage(raw: unknown): string {
  if (typeof raw !== 'string') throw new InputError('the message must be text', { hint: 'send a non-empty string' });
  const text = withoutControls(raw.toWellFormed()).trim();
  if (text.length === 0) throw new InputError('the message is empty', { hint: 'type something to say to the bot' });
  if (text.length > MAX_MESSAGE_CHARS) {
    throw new InputError(`the message is too long (${text.length} characters; the limit is ${MAX_MESSAGE_CHARS})`, {
      hint: 'split it into shorter messages',
    });
  }
  return text;
}
