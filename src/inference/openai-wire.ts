/**
 * What goes over the wire to an OpenAI-compatible chat-completions server: the request, the
 * streamed chunks folded into a reply, and the server's error bodies read back.
 */
import { RemoteRefusedError } from '../errors.js';
import type { GenerateOptions, GenerateResult } from './types.js';

export const SERVICE = 'LLM server';

export interface StreamChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { completion_tokens?: number };
  error?: { message?: string };
}

export function completionRequest(model: string, apiKey: string | undefined, options: GenerateOptions): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify({
      model,
      messages: options.messages,
      stream: true,
      max_tokens: options.maxTokens ?? 256,
      temperature: options.temperature ?? 0.7,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.stop ? { stop: options.stop } : {}),
    }),
  };
}

/** The message in an error body, whichever of the usual shapes it has. */
export function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === 'string') return parsed.error;
    return parsed.error?.message ?? parsed.message ?? body;
  } catch {
    return body || 'no details';
  }
}

export async function refusal(response: Response): Promise<RemoteRefusedError> {
  return new RemoteRefusedError(SERVICE, response.status, errorMessage(await response.text()), {
    hint: response.status === 404 ? 'LLM_BASE_URL must be the API root that holds /chat/completions (often ending in /v1)' : 'see the server\'s log',
  });
}

export type StreamedReply = Pick<GenerateResult, 'text' | 'tokens' | 'firstTokenMs' | 'finishReason'>;

/** Adds one streamed chunk to the reply; `onPiece` gets each piece of text. An error chunk throws. */
export function applyChunk(reply: StreamedReply, chunk: StreamChunk, onPiece: (piece: string) => void): void {
  if (chunk.error) throw new RemoteRefusedError(SERVICE, 200, chunk.error.message ?? 'error in stream');
  const choice = chunk.choices?.[0];
  const piece = choice?.delta?.content;
  if (piece) {
    reply.text += piece;
    reply.tokens += 1;
    onPiece(piece);
  }
  if (choice?.finish_reason === 'length') reply.finishReason = 'length';
  // The server's own count, when it sends one, beats counting chunks.
  if (chunk.usage?.completion_tokens) reply.tokens = chunk.usage.completion_tokens;
}
