/**
 * What channels (cli, telegram, web) see of the conversation service. Channels depend on this
 * interface only; the service behind it runs AO analysis, memory and inference.
 */
export type ChannelName = 'cli' | 'telegram' | 'web';

export interface TurnRequest {
  channel: ChannelName;
  /** The channel's own user id, e.g. a Telegram user id or a web session id. */
  userId: string;
  text: string;
  /** Character to answer as (name); the default character when absent. */
  character?: string;
  /** Receives reply text as it is generated. */
  onToken?: (text: string) => void;
  signal?: AbortSignal;
  /**
   * The caller's own id for this message (Telegram: chat and message id). A turn asked for again
   * with the same id, as after a crash, is answered with the remembered reply and not remembered twice.
   */
  idempotencyKey?: string;
}

export interface TurnResult {
  turnId: string;
  reply: string;
  character: string;
  understanding?: unknown;
  sentiment?: unknown;
  ao?: Record<string, string>;
  /** Passages of the character's knowledge put in the prompt. */
  knowledge?: string[];
  /** True when the turn had been answered before (same idempotency key) and its reply is repeated. */
  repeated?: boolean;
  memory?: { recalled: string[]; written: string[] };
  timings: { firstTokenMs: number | undefined; totalMs: number };
}

export interface HistoryEntry {
  role: 'user' | 'assistant';
  text: string;
  at: string;
}

export interface ConversationPort {
  handleTurn(request: TurnRequest): Promise<TurnResult>;
  /** The caller's own recent conversation (for widget reloads and /memory). */
  history(channel: ChannelName, userId: string, limit?: number): Promise<HistoryEntry[]>;
  /** Starts a new conversation: recent context is dropped, memory kept. */
  reset(channel: ChannelName, userId: string): Promise<void>;
  /** The bot stops recalling everything before now for this user. */
  forget(channel: ChannelName, userId: string): Promise<void>;
  /** Readable summary of what the bot remembers of this user. */
  describeMemory(channel: ChannelName, userId: string): Promise<string>;
  listCharacters(): Array<{ name: string; bio: string; color?: string }>;
  greeting(character?: string): string;
}
