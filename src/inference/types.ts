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
}

export interface LanguageModel {
  /** e.g. "llama-cpp:tiny.gguf" or "openai:qwen3" — shown in --json output and logs. */
  readonly id: string;
  generate(options: GenerateOptions): Promise<GenerateResult>;
  close(): Promise<void>;
}
