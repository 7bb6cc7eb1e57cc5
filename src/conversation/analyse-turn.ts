/**
 * A turn's AO analysis (Understanding, Sentiment, Generation's plan). Its failure is counted
 * and, unless AO is required, the turn is answered without it and says why.
 */
import { describeError, PermachatError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ConversationStats } from './conversation-stats.js';
import type { Analysis, AnalysisPort } from './ports.js';
import type { UserKey } from './user-key.js';

export class AoRequiredError extends PermachatError {
  constructor(cause: unknown) {
    super('AO_REQUIRED', `the AO analysis of this turn failed: ${describeError(cause)}`, { cause, hint: 'AO_REQUIRED=true: turns are not answered without AO; see the AO node log' });
  }
}

/** The analysis, or none: without AO configured (no error), or after a failure (its description). */
export type Analysed = { analysis: Analysis; error?: undefined } | { analysis: undefined; error?: string };

export interface AnalyseDeps {
  analysis: AnalysisPort | undefined;
  /** Keyed pseudonym of a user key: what AO messages carry instead of the user id. */
  pseudonym(userKey: string): string;
  aoRequired: boolean;
  stats: Pick<ConversationStats, 'aoFailures' | 'answeredWithoutAo'>;
  log: Logger;
}

export type AnalyseTurn = (turnId: string, text: string, userKey: UserKey) => Promise<Analysed>;

export function analyseWith(deps: AnalyseDeps): AnalyseTurn {
  return async function analyse(turnId, text, userKey) {
    if (!deps.analysis) return { analysis: undefined };
    try {
      return { analysis: await deps.analysis.analyze({ turnId, text, conversation: deps.pseudonym(userKey) }) };
    } catch (error) {
      deps.stats.aoFailures++;
      if (deps.aoRequired) throw new AoRequiredError(error);
      // The reply goes on without analysis; the failure is reported (log, /health, the turn's ao.error), not hidden.
      deps.stats.answeredWithoutAo++;
      deps.log.warn(`turn ${turnId}: AO analysis failed, answering without it: ${describeError(error)}`);
      return { analysis: undefined, error: describeError(error) };
    }
  };
}
