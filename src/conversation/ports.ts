/**
 * What the conversation service needs from memory and from the AO analysis pipeline.
 * Small on purpose: the composition root adapts the real implementations to these.
 */
export interface RememberedTurn {
  turnId: string;
  userText: string;
  reply: string;
  understanding?: unknown;
  sentiment?: unknown;
  ao?: Record<string, string>;
  at: string;
}

export interface LearnedFact {
  factKind: string;
  text: string;
  sourceTurnId: string;
}

export interface RecallOptions {
  /** How many of the latest turns of the current conversation (since the last /reset). */
  recent: number;
  /** How many older turns relevant to the query (from before the last /reset too). */
  relevant: number;
  /** `recent` counts turns from before the last /reset too: what the bot remembers, not the conversation. */
  acrossResets?: boolean;
  /**
   * Only what this machine already holds: a user it has never seen recalls nothing, with no
   * gateway query and nothing written (reads anyone can ask for must cost next to nothing).
   */
  localOnly?: boolean;
}

export interface Recollection {
  /** Latest turns after the last /forget (and /reset, unless acrossResets), oldest first. */
  recent: Array<{ userText: string; reply: string; at: string }>;
  /** Older turns relevant to the new message, formatted for the prompt. */
  relevant: string[];
  /** Facts the bot learned about the user, formatted for the prompt. */
  facts: string[];
}

export interface MemoryPort {
  /** Resolves once the turn is durable locally (it reaches Arweave later, exactly once). */
  rememberTurn(userKey: string, turn: RememberedTurn): Promise<string[]>;
  rememberFacts(userKey: string, facts: LearnedFact[]): Promise<string[]>;
  recall(userKey: string, query: string, opts: RecallOptions): Promise<Recollection>;
  /** Starts a new conversation, kept with the memory so that it outlives a restart; memory stays. */
  reset(userKey: string): Promise<void>;
  forget(userKey: string): Promise<void>;
  /** The remembered turn with this id, if any (also one from before a /forget). */
  findTurn(userKey: string, turnId: string): Promise<RememberedTurn | undefined>;
}

export interface ReplyPlan {
  tone: string;
  length: 'short' | 'medium' | 'long';
  acknowledge: string[];
}

export interface Analysis {
  understanding: unknown;
  sentiment: unknown;
  plan: ReplyPlan | undefined;
  /** AO message ids of the turn so far (analyze messages, the inference request). */
  ao: Record<string, string>;
}

export interface AnalysisPort {
  /** Sends the turn to Understanding and Sentiment and waits for Generation's plan. */
  analyze(input: { turnId: string; text: string; conversation: string }): Promise<Analysis>;
  /** Posts the inference result to Generation; resolves with the ids once the node accepted it. */
  commit(input: { turnId: string; replyHash: string; promptHash: string; tokens: number }): Promise<Record<string, string>>;
}
