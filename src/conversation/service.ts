/**
 * The conversation service: one turn = recall memory and run the AO analysis in parallel,
 * build the prompt from the character, stream the model's reply, then commit the turn to AO
 * and to memory. Channels see it through ConversationPort only.
 */
import { randomUUID } from 'node:crypto';
import { sha256Hex, uuidFrom } from '../hash.js';
import type { ChatMessage, LanguageModel } from '../inference/types.js';
import type { Logger } from '../logger.js';
import { describeError, PermachatError } from '../errors.js';
import type { ChannelName, ConversationPort, HistoryEntry, TurnRequest, TurnResult } from './types.js';
import type { Analysis, AnalysisPort, LearnedFact, MemoryPort, Recollection } from './ports.js';
import { cleanMessage } from './input.js';
import { withoutControls } from './control-chars.js';
import { describeMemory } from './describe-memory.js';
import { createKeyedQueue } from './keyed-queue.js';
import { createConversationWindows, fitWindow, windowPolicy } from './conversation-window.js';
import type { PluginHost, PluginOutcome } from '../plugin-host/plugin-host.js';
import type { TurnNotes } from '../prompt/turn-notes.js';

export interface PromptRequest {
  userText: string;
  /** The conversation so far; a user's message carries the notes first shown with it. */
  recent: Array<{ role: 'user' | 'assistant'; text: string; notes?: TurnNotes }>;
  /** Earlier turns, facts and knowledge new to this conversation's shown turns (the rest stay where they were shown). */
  recalled: string[];
  facts: string[];
  plan: Analysis['plan'];
  /** Context from plugin providers and action results. */
  context: string[];
  /** Passages of the character's knowledge this message is about. */
  knowledge: string[];
  /** One per conversation: the character's sampled lines stay the same from turn to turn. */
  seed: string;
}

/** What is known of a turn's prompt before memory recall and the AO analysis are done. */
export type StablePromptRequest = Pick<PromptRequest, 'recent' | 'seed'>;

/** A character as the service uses it; the composition root adapts loaded character files. */
export interface CharacterHandle {
  name: string;
  bio: string;
  color?: string;
  greeting: string;
  /** The passages of the character's knowledge most relevant to the text, best first. */
  knowledge(text: string): string[];
  prompt(request: PromptRequest): ChatMessage[];
  /** The start of prompt() for the same conversation (system message and history), to evaluate ahead. */
  stablePrompt?(request: StablePromptRequest): ChatMessage[];
}

export interface CharacterRegistry {
  /** The named character, or the default one; throws InputError naming the available ones. */
  get(name?: string): CharacterHandle;
  list(): CharacterHandle[];
}

export interface ConversationDeps {
  characters: CharacterRegistry;
  model: LanguageModel;
  memory: MemoryPort;
  analysis: AnalysisPort | undefined;
  /** Keyed pseudonym of a user key: what AO messages carry instead of the user id. */
  pseudonym(userKey: string): string;
  logger: Logger;
  maxTokens: number;
  now?: () => Date;
  recentTurns?: number;
  relevantTurns?: number;
  /** The plugins enabled by a character (by character name), if any. */
  plugins?: (character: string) => PluginHost | undefined;
  /** A turn whose AO analysis fails is reported as failed instead of answered without it. */
  aoRequired?: boolean;
}

/** Counts since start, for /health. */
export interface ConversationStats {
  turns: number;
  /** Turns answered without the AO analysis (it failed or timed out), with `aoRequired` off. */
  answeredWithoutAo: number;
  /** Turns whose AO analysis failed, answered or not. */
  aoFailures: number;
}

export class AoRequiredError extends PermachatError {
  constructor(cause: unknown) {
    super('AO_REQUIRED', `the AO analysis of this turn failed: ${describeError(cause)}`, { cause, hint: 'AO_REQUIRED=true: turns are not answered without AO; see the AO node log' });
  }
}

type Analysed = { analysis: Analysis; error?: undefined } | { analysis: undefined; error?: string };

/** A turn id (UUID-shaped, like random ones) fixed by the user and the caller's idempotency key. */
const turnIdOf = (userKey: string, key: string) => uuidFrom(`${userKey}\n${key}`);

export function createConversationService(deps: ConversationDeps): ConversationPort & { close(): Promise<void>; stats(): ConversationStats } {
  const now = deps.now ?? (() => new Date());
  const perUser = createKeyedQueue();
  const log = deps.logger;
  // Evaluators run after the reply is out; close() waits for them.
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const done = work.catch((error: unknown) => log.warn(`after-turn work failed: ${describeError(error)}`)).finally(() => background.delete(done));
    background.add(done);
  };

  const stats: ConversationStats = { turns: 0, answeredWithoutAo: 0, aoFailures: 0 };
  const policy = windowPolicy(deps.recentTurns ?? 6);
  const windows = createConversationWindows(policy, { now });
  const asMessages = (turns: Array<{ userText: string; reply: string; notes?: TurnNotes; said?: string }>) =>
    turns.flatMap((turn) => [
      { role: 'user' as const, text: turn.userText, ...(turn.notes ? { notes: turn.notes } : {}) },
      { role: 'assistant' as const, text: turn.said ?? turn.reply },
    ]);

  /** A turn's prompt; without the plan and context, all of it but its end is known before the AO analysis is done. */
  function turnPrompt(userKey: string, character: CharacterHandle, seed: string, text: string, recollection: Recollection, forMessage: Pick<PromptRequest, 'plan' | 'context'>) {
    const recent = fitWindow(windows.withNotes(userKey, recollection.recent), policy);
    // The previous message too, so that a follow-up ("tell me more") finds the same passages.
    const knowledge = character.knowledge([recent.at(-1)?.userText ?? '', text].join('\n'));
    // What the shown turns' notes hold already is not repeated: the model evaluates only what is new.
    const fresh = windows.unseen({ knowledge, facts: recollection.facts, recalled: recollection.relevant }, recent);
    const messages = character.prompt({ userText: text, recent: asMessages(recent), recalled: fresh.recalled, facts: fresh.facts, knowledge: fresh.knowledge, seed, ...forMessage });
    return { messages, recent, knowledge, fresh };
  }

  /**
   * Starts evaluating what is known of a prompt ahead; the reply then evaluates only the rest.
   * With the new message: its prompt up to the plan (system message, history, this turn's memory
   * and knowledge, from what memory holds locally), while the AO analysis runs. With the turns
   * just answered: the next turn's system message and history, while the person reads and types.
   * Best effort.
   */
  async function prefill(userKey: string, character: CharacterHandle, window: { seed: string; turns: number }, ahead: { text: string } | { turns: Array<{ userText: string; reply: string }> }): Promise<void> {
    if (!deps.model.prefill || !character.stablePrompt) return;
    try {
      if ('text' in ahead) {
        const local = await deps.memory.recall(userKey, ahead.text, { recent: window.turns, relevant: deps.relevantTurns ?? 4, localOnly: true });
        const { messages } = turnPrompt(userKey, character, window.seed, ahead.text, local, { plan: undefined, context: [] });
        await deps.model.prefill(userKey, messages.slice(0, -1));
        return;
      }
      const recent = fitWindow(windows.withNotes(userKey, ahead.turns.slice(-window.turns)), policy);
      // Ahead of a turn not asked for yet: only when it takes nothing from others.
      await deps.model.prefill(userKey, character.stablePrompt({ recent: asMessages(recent), seed: window.seed }), { idleOnly: true });
    } catch (error) {
      log.debug(`prefill for a turn failed (the reply evaluates its whole prompt): ${describeError(error)}`);
    }
  }

  /** /reset and /forget: what RAM holds of the conversation (window, evaluated prompt) goes too. */
  async function endConversation(userKey: string): Promise<void> {
    windows.drop(userKey);
    await deps.model.release?.(userKey);
  }

  async function analyse(turnId: string, text: string, userKey: string): Promise<Analysed> {
    if (!deps.analysis) return { analysis: undefined };
    try {
      return { analysis: await deps.analysis.analyze({ turnId, text, conversation: deps.pseudonym(userKey) }) };
    } catch (error) {
      stats.aoFailures++;
      if (deps.aoRequired) throw new AoRequiredError(error);
      // The reply goes on without analysis; the failure is reported (log, /health, the turn's ao.error), not hidden.
      stats.answeredWithoutAo++;
      log.warn(`turn ${turnId}: AO analysis failed, answering without it: ${describeError(error)}`);
      return { analysis: undefined, error: describeError(error) };
    }
  }

  async function runTurn(request: TurnRequest): Promise<TurnResult> {
    const started = Date.now();
    let firstTokenMs: number | undefined;
    const text = cleanMessage(request.text);
    const character = deps.characters.get(request.character);
    const userKey = `${request.channel}:${request.userId}`;
    const turnId = request.idempotencyKey ? turnIdOf(userKey, request.idempotencyKey) : randomUUID();
    if (request.idempotencyKey) {
      const earlier = await deps.memory.findTurn(userKey, turnId);
      if (earlier) {
        log.info(`turn ${turnId} was answered before (${request.idempotencyKey}); repeating its reply`);
        return { turnId, reply: withoutControls(earlier.reply), character: character.name, repeated: true, memory: { recalled: [], written: [] }, timings: { firstTokenMs: undefined, totalMs: Date.now() - started } };
      }
    }
    // The AO processes finish a Turn-Id once and ignore it afterwards: an attempt that crashed
    // after its commit must not make the retry's analysis wait for a plan that never comes.
    const aoTurnId = request.idempotencyKey ? randomUUID() : turnId;

    stats.turns++;
    const window = windows.open(userKey);
    void prefill(userKey, character, window, { text });
    const [recollection, analysed] = await Promise.all([
      deps.memory.recall(userKey, text, { recent: window.turns, relevant: deps.relevantTurns ?? 4 }),
      analyse(aoTurnId, text, userKey),
    ]);
    const { analysis } = analysed;
    const host = deps.plugins?.(character.name);
    const outcome: PluginOutcome = host
      ? await host.beforeReply({ turnId, userKey, text, understanding: analysis?.understanding, sentiment: analysis?.sentiment })
      : { context: [], actions: [] };
    const { messages, recent, knowledge, fresh } = turnPrompt(userKey, character, window.seed, text, recollection, {
      plan: analysis?.plan,
      context: [...outcome.context, ...outcome.actions.map((action) => `You already told the user (${action.name}): ${action.text}`)],
    });
    windows.shown(userKey, recent.length);

    // Action results are part of the reply: they reach the user first, then the model's words.
    const actionText = withoutControls(outcome.actions.map((action) => action.text).join('\n'));
    if (actionText) request.onToken?.(`${actionText}\n\n`);

    const generated = await deps.model.generate({
      messages,
      conversation: userKey,
      maxTokens: deps.maxTokens,
      onToken: (raw: string) => {
        const token = withoutControls(raw);
        if (!token) return;
        firstTokenMs ??= Date.now() - started;
        request.onToken?.(token);
      },
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const reply = [actionText, withoutControls(generated.text).trim()].filter(Boolean).join('\n\n');
    if (actionText) firstTokenMs ??= 0;
    // The next turn's history is this one's and this exchange: evaluated now, it is ready then.
    // Untrimmed where trimming changed it, so that the next prompt holds the tokens the model wrote.
    const said = generated.text !== reply && generated.text.trim() === reply ? generated.text : undefined;
    windows.noted(userKey, { userText: text, reply }, { notes: fresh, ...(said === undefined ? {} : { said }) }, recent);
    const next = windows.peek(userKey);
    if (next) void prefill(userKey, character, next, { turns: [...recent, { userText: text, reply }] });

    const ao: Record<string, string> = { ...(analysis?.ao ?? {}) };
    if (deps.analysis && analysis) {
      try {
        const committed = await deps.analysis.commit({
          turnId: aoTurnId,
          replyHash: sha256Hex(reply),
          promptHash: sha256Hex(JSON.stringify(messages)),
          tokens: generated.tokens,
        });
        Object.assign(ao, committed);
      } catch (error) {
        log.warn(`turn ${turnId}: could not commit the inference result to AO: ${describeError(error)}`);
      }
    }

    const written = await deps.memory.rememberTurn(userKey, {
      turnId,
      userText: text,
      reply,
      understanding: analysis?.understanding,
      sentiment: analysis?.sentiment,
      ao,
      at: now().toISOString(),
    });
    const facts = factsFrom(analysis?.understanding, turnId);
    if (facts.length > 0) written.push(...(await deps.memory.rememberFacts(userKey, facts)));
    if (host) track(host.afterReply({ turnId, userKey, text, reply, understanding: analysis?.understanding, sentiment: analysis?.sentiment }));

    return {
      turnId,
      reply,
      character: character.name,
      understanding: analysis?.understanding,
      sentiment: analysis?.sentiment,
      // Why this turn went without AO: for the caller, not for memory.
      ao: analysed.error ? { ...ao, error: analysed.error } : ao,
      knowledge,
      memory: {
        recalled: [...recent.map((turn) => `${turn.userText}\n${turn.reply}`), ...recollection.relevant, ...recollection.facts],
        written,
      },
      timings: { firstTokenMs, totalMs: Date.now() - started },
    };
  }

  return {
    // One turn at a time per user keeps each conversation in order; users run in parallel.
    handleTurn: (request) => perUser.run(`${request.channel}:${request.userId}`, () => runTurn(request)),

    // Local only: anyone can ask for the history of any made-up id, and that must cost nothing.
    // A machine that lost DATA_DIR shows a person's history again after their next message.
    async history(channel: ChannelName, userId: string, limit = 50): Promise<HistoryEntry[]> {
      const { recent } = await deps.memory.recall(`${channel}:${userId}`, '', { recent: limit, relevant: 0, localOnly: true });
      return recent.flatMap((turn) => [
        { role: 'user' as const, text: turn.userText, at: turn.at },
        // Replies remembered before control characters were removed from them, too.
        { role: 'assistant' as const, text: withoutControls(turn.reply), at: turn.at },
      ]);
    },

    // In the user's queue: a reset or forget asked for during a reply comes after that turn.
    reset: (channel, userId) => perUser.run(`${channel}:${userId}`, async () => {
      await deps.memory.reset(`${channel}:${userId}`);
      await endConversation(`${channel}:${userId}`);
    }),
    forget: (channel, userId) => perUser.run(`${channel}:${userId}`, async () => {
      await deps.memory.forget(`${channel}:${userId}`);
      await endConversation(`${channel}:${userId}`);
    }),

    describeMemory: (channel, userId) => describeMemory(deps.memory, `${channel}:${userId}`),

    listCharacters: () => deps.characters.list().map(({ name, bio, color }) => ({ name, bio, ...(color ? { color } : {}) })),
    greeting: (name) => deps.characters.get(name).greeting,
    stats: () => ({ ...stats }),
    async close() {
      await perUser.drain();
      await Promise.all([...background]);
    },
  };
}

/** Facts flagged by Understanding (`facts: [{ kind, text }]`) become memory records. */
export function factsFrom(understanding: unknown, turnId: string): LearnedFact[] {
  if (typeof understanding !== 'object' || understanding === null) return [];
  const facts = (understanding as { facts?: unknown }).facts;
  if (!Array.isArray(facts)) return [];
  return facts.flatMap((fact: unknown) => {
    if (typeof fact !== 'object' || fact === null) return [];
    const { kind, text } = fact as { kind?: unknown; text?: unknown };
    return typeof kind === 'string' && typeof text === 'string' ? [{ factKind: kind, text, sourceTurnId: turnId }] : [];
  });
}
