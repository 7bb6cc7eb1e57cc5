/**
 * Idempotent turns: a message asked for again with the caller's same key (a retry after a
 * crash) gets the remembered reply instead of a second turn.
 */
import { randomUUID } from 'node:crypto';
import { uuidFrom } from '../hash.js';
import type { Logger } from '../logger.js';
import { withoutControls } from './control-chars.js';
import type { MemoryPort } from './ports.js';
import type { TurnResult } from './types.js';
import type { UserKey } from './user-key.js';

export interface TurnIds {
  /** What memory and the caller know the turn by. */
  turnId: string;
  /** What the AO messages of this attempt carry. */
  aoTurnId: string;
}

/** A turn id (UUID-shaped, like random ones) fixed by the user and the caller's idempotency key. */
export function turnIdsOf(userKey: UserKey, idempotencyKey: string | undefined): TurnIds {
  if (!idempotencyKey) {
    const turnId = randomUUID();
    return { turnId, aoTurnId: turnId };
  }
  // The AO processes finish a Turn-Id once and ignore it afterwards: an attempt that crashed
  // after its commit must not make the retry's analysis wait for a plan that never comes.
  return { turnId: uuidFrom(`${userKey}\n${idempotencyKey}`), aoTurnId: randomUUID() };
}

export interface RepeatQuery {
  userKey: UserKey;
  turnId: string;
  idempotencyKey: string | undefined;
  character: string;
  /** Date.now() when the turn started, for its timings. */
  started: number;
}

export type RepeatTurn = (query: RepeatQuery) => Promise<TurnResult | undefined>;

/** The earlier answer to the same message, if it was answered before; undefined without an idempotency key. */
export function repeatTurnWith(deps: { memory: Pick<MemoryPort, 'findTurn'>; log: Logger }): RepeatTurn {
  return async function repeatTurn({ userKey, turnId, idempotencyKey, character, started }) {
    if (!idempotencyKey) return undefined;
    const earlier = await deps.memory.findTurn(userKey, turnId);
    if (!earlier) return undefined;
    deps.log.info(`turn ${turnId} was answered before (${idempotencyKey}); repeating its reply`);
    return { turnId, reply: withoutControls(earlier.reply), character, repeated: true, memory: { recalled: [], written: [] }, timings: { firstTokenMs: undefined, totalMs: Date.now() - started } };
  };
}
