/**
 * After the reply: the inference result is committed to AO (best effort: the reply is out
 * already), then the turn and the facts learned from it are written to memory.
 */
import { describeError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import type { ChatMessage } from '../inference/types.js';
import type { Logger } from '../logger.js';
import { factsFrom } from './learned-facts.js';
import type { Analysis, AnalysisPort, MemoryPort } from './ports.js';
import type { UserKey } from './user-key.js';

export interface AnsweredTurn {
  turnId: string;
  /** The Turn-Id the AO messages of this attempt carry. */
  aoTurnId: string;
  analysis: Analysis | undefined;
  messages: ChatMessage[];
  reply: string;
  tokens: number;
}

export type CommitToAo = (turn: AnsweredTurn) => Promise<Record<string, string>>;

/** The turn's AO message ids: the analysis's, and the commit's when it went through. */
export function commitToAoWith(deps: { analysis: AnalysisPort | undefined; log: Logger }): CommitToAo {
  return async function commitToAo({ turnId, aoTurnId, analysis, messages, reply, tokens }) {
    const ao: Record<string, string> = { ...(analysis?.ao ?? {}) };
    if (!deps.analysis || !analysis) return ao;
    try {
      Object.assign(ao, await deps.analysis.commit({ turnId: aoTurnId, replyHash: sha256Hex(reply), promptHash: sha256Hex(JSON.stringify(messages)), tokens }));
    } catch (error) {
      deps.log.warn(`turn ${turnId}: could not commit the inference result to AO: ${describeError(error)}`);
    }
    return ao;
  };
}

export type RememberTurn = (userKey: UserKey, turn: { turnId: string; text: string; reply: string; analysis: Analysis | undefined; ao: Record<string, string> }) => Promise<string[]>;

/** The ids of the memory records written: the turn's, then its facts'. */
export function rememberTurnWith(deps: { memory: Pick<MemoryPort, 'rememberTurn' | 'rememberFacts'>; now: () => Date }): RememberTurn {
  return async function rememberTurn(userKey, { turnId, text, reply, analysis, ao }) {
    const written = await deps.memory.rememberTurn(userKey, {
      turnId,
      userText: text,
      reply,
      understanding: analysis?.understanding,
      sentiment: analysis?.sentiment,
      ao,
      at: deps.now().toISOString(),
    });
    const facts = factsFrom(analysis?.understanding, turnId);
    if (facts.length > 0) written.push(...(await deps.memory.rememberFacts(userKey, facts)));
    return written;
  };
}
