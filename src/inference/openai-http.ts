/**
 * OpenAI-compatible chat-completions adapter (llama.cpp server, vLLM, Ollama, ...), streaming
 * over server-sent events. `baseUrl` is the API root that holds `/chat/completions`
 * (e.g. http://gpu-box:8080/v1): we append only `/chat/completions`.
 */
import { RemoteRefusedError, UnreachableError } from '../errors.js';
import type { GenerateOptions, GenerateResult, LanguageModel } from './types.js';

export interface OpenAiOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Gives up when no byte arrives for this long. */
  timeoutMs?: number;
}

const SERVICE = 'LLM server';

interface StreamChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { completion_tokens?: number };
  error?: { message?: string };
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === 'string') return parsed.error;
    return parsed.error?.message ?? parsed.message ?? body;
  } catch {
    return body || 'no details';
  }
}

export function createOpenAiModel(opts: OpenAiOptions): LanguageModel {
  const doFetch = opts.fetch ?? fetch;
  const url = `${opts.baseUrl.replace(/\/$/, '')}/chat/completions`;
  const timeoutMs = opts.timeoutMs ?? 120_000;

  async function generate(options: GenerateOptions): Promise<GenerateResult> {
    const started = performance.now();
    const controller = new AbortController();
    const abort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    let idle = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    };
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: opts.model,
          messages: options.messages,
          stream: true,
          max_tokens: options.maxTokens ?? 256,
          temperature: options.temperature ?? 0.7,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(options.stop ? { stop: options.stop } : {}),
        }),
      });
    } catch (error) {
      clearTimeout(idle);
      options.signal?.removeEventListener('abort', abort);
      if (options.signal?.aborted) return { text: '', tokens: 0, firstTokenMs: undefined, totalMs: performance.now() - started, finishReason: 'abort' };
      throw new UnreachableError(SERVICE, url, { cause: error, hint: 'check LLM_BASE_URL and that the server is running' });
    }

    let text = '';
    let tokens = 0;
    let firstTokenMs: number | undefined;
    let finish: GenerateResult['finishReason'] = 'stop';
    try {
      if (!response.ok) {
        throw new RemoteRefusedError(SERVICE, response.status, errorMessage(await response.text()), {
          hint: response.status === 404 ? 'LLM_BASE_URL must be the API root that holds /chat/completions (often ending in /v1)' : 'see the server\'s log',
        });
      }
      if (!response.body) throw new RemoteRefusedError(SERVICE, response.status, 'empty response body');
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const bytes of response.body) {
        touch();
        buffer += decoder.decode(bytes, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!line.startsWith('data:')) continue;
          const payload = line.slice(5).trim();
          if (payload === '[DONE]') continue;
          const chunk = JSON.parse(payload) as StreamChunk;
          if (chunk.error) throw new RemoteRefusedError(SERVICE, 200, chunk.error.message ?? 'error in stream');
          const choice = chunk.choices?.[0];
          const piece = choice?.delta?.content;
          if (piece) {
            firstTokenMs ??= performance.now() - started;
            text += piece;
            tokens += 1;
            options.onToken?.(piece);
          }
          if (choice?.finish_reason === 'length') finish = 'length';
          if (chunk.usage?.completion_tokens) tokens = chunk.usage.completion_tokens;
        }
      }
    } catch (error) {
      if (options.signal?.aborted) finish = 'abort';
      else if (error instanceof RemoteRefusedError) throw error;
      else throw new UnreachableError(SERVICE, url, { cause: error, hint: 'the connection dropped while streaming' });
    } finally {
      clearTimeout(idle);
      options.signal?.removeEventListener('abort', abort);
    }
    return { text, tokens, firstTokenMs, totalMs: performance.now() - started, finishReason: finish };
  }

  return { id: `openai:${opts.model}`, generate, async close() {} };
}
