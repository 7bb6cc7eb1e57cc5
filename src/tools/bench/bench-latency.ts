/**
 * Time to first token through the whole pipeline, turn after turn of one conversation, against
 * the old way: the same turn, the same prompt, evaluated in full on an empty sequence after
 * recall and the AO analysis are done (no kept sequence, no prefill). The old-way turn runs
 * through the same service as another user whose model calls are replayed with the recorded
 * prompt, right after the turn it copies.
 *
 * The person is a returning one, as the bot is built for: an earlier conversation and two facts
 * are remembered, so each turn's notes hold recalled turns as well as the reply plan. Turn 1 is
 * taken for three such people (the median of their ratios), turn 10 for one.
 */
import { userKeyOf } from '../../conversation/user-key.js';
import type { MemoryPort } from '../../conversation/ports.js';
import type { ConversationPort } from '../../conversation/types.js';
import type { ChatMessage, GenerateOptions, GenerateResult, LanguageModel, PrefillResult } from '../../inference/types.js';
import { percentile, ratio, round } from './stats.js';

export interface ProbedCall {
  messages: ChatMessage[];
  result: GenerateResult;
  prefill: PrefillResult | undefined;
}

/** When, in ms since the turn started, the model was asked for what (a prefill, the reply). */
export interface TurnTimings {
  /** The prefill at the start of the turn (system message and history): asked, and done. */
  prefillStartMs?: number;
  prefillEndMs?: number;
  /** Tokens that prefill evaluated. */
  prefillTokens?: number;
  /** The reply was asked for: recall, the AO analysis and the prompt were done. */
  promptReadyMs?: number;
  firstTokenMs: number;
}

export interface LatencyProbe extends LanguageModel {
  /** The last reply the service asked for the new way, and its prefill. */
  last: ProbedCall | undefined;
  /** While set, every reply is asked the old way, with these messages. */
  replay: ChatMessage[] | undefined;
  /** Resolves when no prefill is running (the one after a reply, say). */
  idle(): Promise<void>;
  /** From now on, times the calls of the turn that starts now (see TurnTimings). */
  startTurn(): (firstTokenMs: number) => TurnTimings;
}

/** Wraps the model the service uses: records the new way's calls, replays prompts the old way. */
export function latencyProbe(model: LanguageModel & Required<Pick<LanguageModel, 'prefill' | 'release'>>): LatencyProbe {
  /** What prefills evaluated for the next reply: after the last reply, and at the start of this turn. */
  const pending = new Map<string, PrefillResult>();
  const running = new Set<Promise<unknown>>();
  let timings: Omit<TurnTimings, 'firstTokenMs'> = {};
  let turnStart = performance.now();
  const since = () => Math.round(performance.now() - turnStart);
  const probe: LatencyProbe = {
    id: model.id,
    last: undefined,
    replay: undefined,
    async generate(options: GenerateOptions) {
      timings.promptReadyMs ??= since();
      if (probe.replay) {
        // The old way: no conversation key, so an emptied sequence evaluates the whole prompt.
        const { conversation: _kept, ...oldWay } = options;
        return model.generate({ ...oldWay, messages: probe.replay });
      }
      const result = await model.generate(options);
      const key = options.conversation ?? '';
      probe.last = { messages: options.messages, result, prefill: pending.get(key) };
      pending.delete(key);
      return result;
    },
    async prefill(conversation, messages, options) {
      if (probe.replay) return { tokens: 0, evaluated: 0 };
      const ahead = !options?.idleOnly;
      if (ahead) timings.prefillStartMs ??= since();
      const work = model.prefill(conversation, messages, options);
      running.add(work);
      try {
        const result = await work;
        if (ahead && timings.prefillEndMs === undefined) Object.assign(timings, { prefillEndMs: since(), prefillTokens: result.evaluated });
        const before = pending.get(conversation);
        pending.set(conversation, { tokens: result.tokens, evaluated: (before?.evaluated ?? 0) + result.evaluated, shifted: (before?.shifted ?? 0) + (result.shifted ?? 0) });
        return result;
      } finally {
        running.delete(work);
      }
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    startTurn() {
      turnStart = performance.now();
      timings = {};
      return (firstTokenMs) => ({ ...timings, firstTokenMs: Math.round(firstTokenMs) });
    },
    release: (conversation) => model.release(conversation),
    close: () => model.close(),
  };
  return probe;
}

const TURNS = 10;

/**
 * Resolves once this process has used under a sixth of a core for a quarter of a second (or
 * after 20 s): what the last turn left to do in the background (its AO commit, the memory
 * upload) is done, so that it does not land on the next measured turn. Without it the turn
 * after an old-way turn started in the middle of that work, while an old-way turn started
 * after the new way's prefill had given it time to finish.
 */
async function quiet(): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    const before = process.cpuUsage();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const used = process.cpuUsage(before);
    if ((used.user + used.system) / 1000 / (performance.now() - started) < 1 / 6) return;
  }
}
/**
 * Turn 1 is measured for this many people, each beside its old way: with nothing kept, its gain
 * is small (the AO analysis's time), so one pair is mostly noise on shared cores.
 */
const FIRST_TURNS = 3;

const EARLIER: Array<[string, string]> = [
  ['I bought a small sailing boat last month, a 22-foot sloop called Wren.', 'A fine first boat. Learn her in light winds before you take her out in anything rough.'],
  ['The sea was rough on Sunday and I had to turn back before the harbour wall.', 'Turning back is good seamanship, not failure. What was the wind doing?'],
  ['It was gusting about twenty knots from the west and the waves were short and steep.', 'Short steep waves against the tide are the worst of it. Reef early next time, before you need to.'],
  ['How do I know when to reef? I never know if it is too early.', 'If you are asking yourself whether to reef, reef. You can always shake it out again.'],
  ['My sister wants to come sailing with me in the afternoon next weekend.', 'Show her where the life jackets are and how to hold the tiller before you cast off.'],
  ['I am a bit nervous about sailing alone when the weather changes quickly.', 'Check the forecast and the tide before you leave, and tell someone ashore when you will be back.'],
];

/** An earlier conversation (before a /reset) and two facts, as for a person who comes back. */
async function rememberEarlier(memory: MemoryPort, userKey: string): Promise<void> {
  const day = Date.parse('2026-11-20T09:00:00Z');
  for (const [i, [userText, reply]] of EARLIER.entries()) {
    await memory.rememberTurn(userKey, { turnId: `${userKey}-earlier-${i}`, userText, reply, at: new Date(day + i * 60_000).toISOString() });
  }
  await memory.rememberFacts(userKey, [
    { factKind: 'boat', text: 'the user sails a 22-foot sloop called Wren', sourceTurnId: `${userKey}-earlier-0` },
    { factKind: 'family', text: 'the user has a sister who wants to sail', sourceTurnId: `${userKey}-earlier-4` },
  ]);
  await memory.reset(userKey);
}

export async function benchLatency(deps: { conversation: ConversationPort; memory: MemoryPort; probe: LatencyProbe; text: (turn: number) => string }) {
  // Each turn starts with the model and the process idle, as after a person's time to read and
  // type: what a prefill after the last reply evaluated is ready, and no old-way turn or
  // background work of the last turn shares the cores with it.
  const timed = async (userId: string, text: string): Promise<TurnTimings> => {
    await deps.probe.idle();
    await quiet();
    const done = deps.probe.startTurn();
    const started = performance.now();
    let first: number | undefined;
    await deps.conversation.handleTurn({ channel: 'cli', userId, text, onToken: () => (first ??= performance.now() - started) });
    return done(first ?? Number.NaN);
  };
  const breakdown: Record<string, TurnTimings> = {};
  const turn = async (userId: string, text: string, name?: string) => {
    const timings = await timed(userId, text);
    if (name) breakdown[name] = timings;
    return timings.firstTokenMs;
  };
  const others = Array.from({ length: FIRST_TURNS - 1 }, (_, k) => `bench-first-${k + 2}`);
  const oldWayUsers = [...others, 'bench'].map((userId) => `${userId}-old-way-1`);
  for (const userId of ['bench', ...others, ...oldWayUsers, `bench-old-way-${TURNS}`]) await rememberEarlier(deps.memory, userKeyOf('cli', userId));
  /** The same turn the old way, as a user of its own (nothing of it is kept). */
  const oldWay = async (userId: string, text: string, messages: ChatMessage[] | undefined, name?: string) => {
    deps.probe.replay = messages;
    try {
      return await turn(userId, text, name);
    } finally {
      deps.probe.replay = undefined;
    }
  };
  // The first turn of a process pays for loading and compiling what every later one reuses.
  await turn('bench-warm-up', deps.text(0));
  const firsts: Array<{ ttft: number; oldWay: number }> = [];
  for (const [k, userId] of others.entries()) {
    const ttftMs = await turn(userId, deps.text(1));
    firsts.push({ ttft: ttftMs, oldWay: await oldWay(oldWayUsers[k] ?? '', deps.text(1), deps.probe.last?.messages) });
  }
  const ttft: number[] = [];
  const evaluatedByTurn: number[] = [];
  const oldTtft = new Map<number, number>();
  let followUp: ProbedCall | undefined;
  for (let i = 1; i <= TURNS; i++) {
    ttft.push(await turn('bench', deps.text(i), i === 1 || i === TURNS ? `turn${i}` : undefined));
    const call = deps.probe.last;
    evaluatedByTurn.push(call?.result.evaluatedTokens ?? Number.NaN);
    if (i === TURNS) followUp = call;
    if (i === 1 || i === TURNS) oldTtft.set(i, await oldWay(i === 1 ? (oldWayUsers.at(-1) ?? '') : `bench-old-way-${i}`, deps.text(i), call?.messages, `turn${i}OldWay`));
  }
  firsts.push({ ttft: ttft[0] ?? Number.NaN, oldWay: oldTtft.get(1) ?? Number.NaN });
  const median = (values: number[]) => percentile(values, 50);
  const last = ttft[TURNS - 1] ?? Number.NaN;
  const promptTokens = followUp?.result.promptTokens ?? Number.NaN;
  const evaluated = followUp?.result.evaluatedTokens ?? Number.NaN;
  // New since turn 9's reply: all of turn 10's prompt after its stable start (system and history through that reply).
  const newTokens = promptTokens - (followUp?.prefill?.tokens ?? Number.NaN);
  return {
    turns: TURNS,
    turn1TtftMs: round(median(firsts.map((f) => f.ttft))),
    turn1OldWayTtftMs: round(median(firsts.map((f) => f.oldWay))),
    /** The median of the people's ratios (each beside its old way, taken right after it). */
    turn1TtftRatio: round(median(firsts.map((f) => f.ttft / f.oldWay)), 3),
    turn1TtftSamplesMs: firsts.map((f) => [round(f.ttft, 0), round(f.oldWay, 0)]),
    turn10TtftMs: round(last),
    turn10OldWayTtftMs: round(oldTtft.get(TURNS) ?? Number.NaN),
    turn10TtftRatio: ratio(last, oldTtft.get(TURNS) ?? Number.NaN),
    turn10PromptTokens: promptTokens,
    turn10EvaluatedTokens: evaluated,
    turn10NewTokens: newTokens,
    followUpEvaluatedTokensRatio: ratio(evaluated, newTokens),
    /** Kept tokens of turn 9's exchange moved back over its erased reply plan: not evaluated, not counted above. */
    turn10ShiftedTokens: followUp?.prefill?.shifted ?? 0,
    /** When each step happened, in ms since the turn started (where the time to the first token goes). */
    timings: breakdown,
    ttftMsByTurn: ttft.map((ms) => round(ms, 0)),
    evaluatedTokensByTurn: evaluatedByTurn,
  };
}
