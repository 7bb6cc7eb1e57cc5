/** Counts since start, for /health. */
export interface ConversationStats {
  turns: number;
  /** Turns answered without the AO analysis (it failed or timed out), with `aoRequired` off. */
  answeredWithoutAo: number;
  /** Turns whose AO analysis failed, answered or not. */
  aoFailures: number;
}

export const noStats = (): ConversationStats => ({ turns: 0, answeredWithoutAo: 0, aoFailures: 0 });
