/**
 * OpenAI-compatible chat-completions adapter (llama.cpp server, vLLM, Ollama, ...), streaming
 * over server-sent events. `baseUrl` is the API root that holds `/chat/completions`
 * (e.g. http://gpu-box:8080/v1): we append only `/chat/completions`.
 */
import { RemoteRefusedError, UnreachableError } from '../errors.js';
import { idleAbort, type IdleAbort } from './idle-abort.js';
import { applyChunk, completionRequest, refusal, SERVICE, type StreamChunk, type StreamedReply } from './openai-wire.js';
import { sseData } from './sse-data.js';
import type { GenerateOptions, GenerateResult, LanguageModel } from './types.js';

export interface OpenAiOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Gives up when no byte arrives for this long. */
  timeoutMs?: number;
}

interface OpenAiDeps {
  doFetch: typeof fetch;
  url: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

/** The response, or undefined when the caller aborted before it came. */
async function post(deps: OpenAiDeps, options: GenerateOptions, abort: IdleAbort): Promise<Response | undefined> {
  const { headers, body } = completionRequest(deps.model, deps.apiKey, options);
  try {
    return await deps.doFetch(deps.url, { method: 'POST', signal: abort.signal, headers, body });
  } catch (error) {
    if (options.signal?.aborted) return undefined;
    throw new UnreachableError(SERVICE, deps.url, { cause: error, hint: 'check LLM_BASE_URL and that the server is running' });
  }
}

/** Reads the streamed reply; cut short by the caller, it is what came so far, marked 'abort'. */
async function receive(deps: OpenAiDeps, response: Response, options: GenerateOptions, abort: IdleAbort, started: number): Promise<StreamedReply> {
  const reply: StreamedReply = { text: '', tokens: 0, firstTokenMs: undefined, finishReason: 'stop' };
  const onPiece = (piece: string) => {
    reply.firstTokenMs ??= performance.now() - started;
    options.onToken?.(piece);
  };
  try {
    if (!response.ok) throw await refusal(response);
    if (!response.body) throw new RemoteRefusedError(SERVICE, response.status, 'empty response body');
    for await (const payload of sseData(response.body, abort.touch)) applyChunk(reply, JSON.parse(payload) as StreamChunk, onPiece);
  } catch (error) {
    if (options.signal?.aborted) reply.finishReason = 'abort';
    else if (error instanceof RemoteRefusedError) throw error;
    else throw new UnreachableError(SERVICE, deps.url, { cause: error, hint: 'the connection dropped while streaming' });
  }
  return reply;
}

function generateWith(deps: OpenAiDeps): (options: GenerateOptions) => Promise<GenerateResult> {
  return async (options) => {
    const started = performance.now();
    const abort = idleAbort(options.signal, deps.timeoutMs);
    try {
      const response = await post(deps, options, abort);
      const reply = response ? await receive(deps, response, options, abort, started) : { text: '', tokens: 0, firstTokenMs: undefined, finishReason: 'abort' as const };
      return { ...reply, totalMs: performance.now() - started };
    } finally {
      abort.dispose();
    }
  };
}

export function createOpenAiModel(opts: OpenAiOptions): LanguageModel {
  const deps: OpenAiDeps = {
    doFetch: opts.fetch ?? fetch,
    url: `${opts.baseUrl.replace(/\/$/, '')}/chat/completions`,
    model: opts.model,
    apiKey: opts.apiKey,
    timeoutMs: opts.timeoutMs ?? 120_000,
  };
  return { id: `openai:${opts.model}`, generate: generateWith(deps), async close() {} };
}
