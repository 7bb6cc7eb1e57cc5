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
