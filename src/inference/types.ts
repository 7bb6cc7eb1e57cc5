/**
 * The language-model port. Small on purpose (after the Vercel AI SDK's doGenerate/doStream):
 * adapters translate it to node-llama-cpp or to an OpenAI-compatible HTTP server.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions {
  messages: ChatMessage[];
  /**
   * The conversation this reply belongs to. An adapter that keeps per-conversation state (the
   * evaluated prompt) reuses it, so a follow-up evaluates only what is new; without a key
   * nothing is kept.
   */
  conversation?: string;
  maxTokens?: number;
  temperature?: number;
  /** Deterministic sampling when set (tests, benchmarks). */
  seed?: number;
  stop?: string[];
  signal?: AbortSignal;
  /** Called with each piece of text as it is generated. */
  onToken?: (text: string) => void;
}

export interface GenerateResult {
  text: string;
  tokens: number;
  /** Milliseconds from the call to the first token (undefined when no token came). */
  firstTokenMs: number | undefined;
  totalMs: number;
  finishReason: 'stop' | 'length' | 'abort';
  /** The prompt's length in tokens, where the adapter can tell. */
  promptTokens?: number;
  /** Prompt tokens evaluated for this reply (its prefill included): fewer than promptTokens when a kept prefix was reused. */
  evaluatedTokens?: number;
}

export interface PrefillOptions {
  /**
   * Work ahead of a turn that has not been asked for yet (right after a reply): done only while
   * the conversation still holds its state, so that it never takes another's.
   */
  idleOnly?: boolean;
}

export interface PrefillResult {
  /** Tokens of the stable prefix. */
  tokens: number;
  /** Of those, how many had to be evaluated (the rest were kept from the last turn). */
  evaluated: number;
  /** Of the kept ones, how many were moved back over a range the prompt no longer has (not evaluated). */
  shifted?: number;
}

export interface LanguageModel {
  /** e.g. "llama-cpp:tiny.gguf" or "openai:qwen3" — shown in --json output and logs. */
  readonly id: string;
  generate(options: GenerateOptions): Promise<GenerateResult>;
  /**
   * Starts evaluating the part of the next prompt that is already known (system message and
   * history) while the rest is still being gathered; the generate() that follows for the same
   * conversation waits for it and evaluates only the remainder. Best effort: it does nothing
   * (and says so: 0 tokens) when every sequence is busy or wanted. Optional: adapters that
   * cannot evaluate ahead leave it out.
   */
  prefill?(conversation: string, messages: ChatMessage[], options?: PrefillOptions): Promise<PrefillResult>;
  /** Drops whatever the adapter holds of the conversation (after /reset and /forget). */
  release?(conversation: string): Promise<void>;
  close(): Promise<void>;
}
