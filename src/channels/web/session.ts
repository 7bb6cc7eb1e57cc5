/** What the web API accepts: the session id (a bearer secret) and the request bodies. */
import { z } from 'zod';
import { HttpError } from '../../errors.js';
import { sha256Hex } from '../../hash.js';
import { MAX_MESSAGE_CHARS } from '../../conversation/input.js';

/** A bearer secret: long enough for 128 random bits even in hex (the widget's 16 random bytes). */
export const sessionId = z
  .string('a random id of 32 to 128 letters, digits, - or _')
  .min(32, 'too short: at least 32 characters, made from 16 or more random bytes (128 bits), e.g. in hex')
  .max(128, 'at most 128 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, - or _');
export const chatBody = z.object({
  sessionId,
  message: z.string().min(1, 'the message is empty').max(MAX_MESSAGE_CHARS, `at most ${MAX_MESSAGE_CHARS} characters`),
  character: z.string().max(64).optional(),
  /** The client's id for this message: sent again (a retry), it is answered once. */
  messageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an id of 8 to 64 letters, digits, - or _').optional(),
});
export const resetBody = z.object({ sessionId });
export const forgetBody = z.object({
  sessionId,
  confirm: z.literal(true, 'forgetting cannot be undone: send "confirm": true to go ahead'),
});

/** The session id is a bearer secret kept by the browser; the conversation sees only its hash. */
export const userIdOf = (session: string) => sha256Hex(`web-session:${session}`).slice(0, 32);

/** The value, or 400 naming the first field that is wrong and what it should be. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, `${where}${issue?.message ?? 'invalid request'}`, { hint: 'send JSON like {"sessionId":"<random id>","message":"hello"}' });
}
