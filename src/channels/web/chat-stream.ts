/**
 * POST /api/chat's answer: the reply as server-sent events (`token`…, then `done` or `error`),
 * written while the turn runs. A client that leaves aborts the turn.
 */
import type { ConversationPort } from '../../conversation/types.js';
import { describeError, InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';

export interface ChatTurn {
  userId: string;
  message: string;
  character?: string | undefined;
  messageId?: string | undefined;
}

type Send = (event: string, data: unknown) => void;

async function runTurn(deps: { conversation: ConversationPort; logger: Logger }, turn: ChatTurn, send: Send, signal: AbortSignal): Promise<void> {
  try {
    const result = await deps.conversation.handleTurn({
      channel: 'web',
      userId: turn.userId,
      text: turn.message,
      ...(turn.character ? { character: turn.character } : {}),
      ...(turn.messageId ? { idempotencyKey: turn.messageId } : {}),
      signal,
      onToken: (text) => send('token', { text }),
    });
    send('done', { turnId: result.turnId, reply: result.reply, character: result.character, ...(result.repeated ? { repeated: true } : {}) });
  } catch (error) {
    if (signal.aborted) {
      // The person closed the page or lost the connection: nothing went wrong on our side.
      deps.logger.debug(`web: the client left before the reply was complete (${describeError(error)})`);
      return;
    }
    // The stream has started: the error goes in the stream, and is logged.
    const message = describeError(error);
    if (!(error instanceof InputError)) deps.logger.error(`web turn failed: ${message}`);
    send('error', { error: message });
  }
}

/** The event stream of one turn; `clientGone` is the request's signal (it aborts when the connection closes). */
export function chatStream(deps: { conversation: ConversationPort; logger: Logger }, turn: ChatTurn, clientGone: AbortSignal): ReadableStream<Uint8Array> {
  const left = new AbortController();
  const leave = () => left.abort();
  clientGone.addEventListener('abort', leave, { once: true });
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send: Send = (event, data) => {
        if (!left.signal.aborted) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      void runTurn(deps, turn, send, left.signal).finally(() => {
        clientGone.removeEventListener('abort', leave);
        if (!left.signal.aborted) controller.close();
      });
    },
    cancel: leave,
  });
}

export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  // Proxies (nginx) would otherwise hold tokens back until the buffer fills.
  'x-accel-buffering': 'no',
};
