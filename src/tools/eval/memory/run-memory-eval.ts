/**
 * `permachat eval memory`: each conversation is written turn by turn through the real memory
 * (records, encryption, the outbox, an in-process Arweave), then each question is recalled as
 * a new message would be in production, and scored against the turns that hold its answer.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInProcessArweave } from '../../../arweave/in-process.js';
import type { JWKInterface } from '../../../arweave/wallet.js';
import { cleanMessage } from '../../../conversation/input.js';
import type { RecallOptions } from '../../../conversation/ports.js';
import { factsFrom } from '../../../conversation/service.js';
import type { Logger } from '../../../logger.js';
import { createMemory } from '../../../memory/memory.js';
import type { LazyWordVectors } from '../../../memory/word-vectors-source.js';
import type { WordVectors } from '../../../text/word-vectors.js';
import type { EvalConversation } from './dataset.js';
import { RECALL_KS, report, scoreQuestion, type MemoryEvalReport, type QuestionScore } from './metrics.js';

export interface MemoryEvalDeps {
  conversations: readonly EvalConversation[];
  /** A folder of its own (each conversation's DATA_DIR goes inside); removed when done. */
  scratchDir: string;
  wallet: JWKInterface;
  logger: Logger;
  /** Understanding as the AO process answers it; turns are stored with its analysis and facts, as in production. */
  understand?: (text: string) => Promise<unknown>;
  /** What the conversation service asks for (its defaults). */
  recall?: Pick<RecallOptions, 'recent' | 'relevant'>;
  /** Questions of these categories are asked (LoCoMo's 5, adversarial, has no evidence). */
  categories?: readonly number[];
  progress?: (line: string) => void;
  /** Word vectors for recall by meaning, as production has them (waited for: every question sees them). */
  wordVectors?: LazyWordVectors;
}

const PRODUCTION_RECALL = { recent: 6, relevant: 4 };

export async function runMemoryEval(deps: MemoryEvalDeps): Promise<MemoryEvalReport> {
  const categories = deps.categories ?? [1, 2, 3, 4];
  const scores: QuestionScore[] = [];
  await rm(deps.scratchDir, { recursive: true, force: true });
  await mkdir(deps.scratchDir, { recursive: true });
  const vectors = await deps.wordVectors?.ready();
  deps.progress?.(vectors ? `recall by meaning: ${vectors.size} word vectors` : 'recall by words alone (no word vectors)');
  try {
    for (const [index, conversation] of deps.conversations.entries()) {
      deps.progress?.(`${conversation.id}: ${conversation.turns.length} turns, ${conversation.questions.length} questions`);
      scores.push(...(await evalConversation(deps, conversation, path.join(deps.scratchDir, String(index)), categories, vectors)));
    }
  } finally {
    await rm(deps.scratchDir, { recursive: true, force: true });
  }
  return report(scores);
}

async function evalConversation(deps: MemoryEvalDeps, conversation: EvalConversation, dataDir: string, categories: readonly number[], vectors: WordVectors | undefined): Promise<QuestionScore[]> {
  let clock = new Date(conversation.turns[0]?.at ?? 0);
  const memory = await createMemory({ arweave: createInProcessArweave(deps.wallet), masterKey: new Uint8Array(randomBytes(32)), dataDir, logger: deps.logger, now: () => clock, outbox: { batchDelayMs: 0 }, wordVectors: () => vectors });
  const userKey = `eval:${conversation.id}`;
  const turnOf = new Map<string, string>();
  try {
    for (const [i, turn] of conversation.turns.entries()) {
      const turnId = `${conversation.id}:${i}`;
      for (const dia of turn.diaIds) turnOf.set(dia, turnId);
      clock = new Date(turn.at);
      const understanding = deps.understand && turn.userText ? await deps.understand(turn.userText) : undefined;
      await memory.rememberTurn(userKey, { turnId, userText: turn.userText, reply: turn.reply, understanding, at: turn.at });
      const facts = factsFrom(understanding, turnId);
      if (facts.length > 0) await memory.rememberFacts(userKey, facts);
    }
    const scores: QuestionScore[] = [];
    for (const q of conversation.questions) {
      if (!categories.includes(q.category) || q.evidence.length === 0) continue;
      const query = cleanMessage(q.question);
      const recalled = await memory.recall(userKey, query, deps.recall ?? PRODUCTION_RECALL);
      const ranked = await memory.rank(userKey, query, Math.max(...RECALL_KS));
      const evidence = new Map<string, string[]>();
      for (const dia of q.evidence) {
        const turn = turnOf.get(dia);
        if (turn !== undefined) evidence.set(turn, [...(evidence.get(turn) ?? []), conversation.messages.get(dia) ?? '']);
      }
      const relevant = recalled.relevant.join('\n');
      const prompt = [...recalled.recent.flatMap((t) => [t.userText, t.reply]), relevant].join('\n');
      scores.push(scoreQuestion({ category: q.category, ranked, evidence, prompt, relevantChars: relevant.length }));
    }
    return scores;
  } finally {
    await memory.close();
  }
}
