/**
 * One turn, from its steps: recall memory and run the AO analysis in parallel, let the
 * character's plugins add context, build the prompt, stream the reply, then commit the turn to
 * AO and to memory. Each step is built with its own dependencies (see the files it imports).
 */
import type { PluginHost, PluginOutcome } from '../plugin-host/plugin-host.js';
import type { AnalyseTurn, Analysed } from './analyse-turn.js';
import type { CharacterRegistry } from './character-handle.js';
import type { ConversationStats } from './conversation-stats.js';
import type { ConversationWindows } from './conversation-window.js';
import type { GenerateReply, Reply } from './generate-reply.js';
import { cleanMessage } from './input.js';
import type { MemoryPort, Recollection } from './ports.js';
import type { Prefill } from './prefill.js';
import type { CommitToAo, RememberTurn } from './record-turn.js';
import { turnIdsOf, type RepeatTurn } from './repeat-turn.js';
import type { BuildTurnPrompt, TurnPrompt } from './turn-prompt.js';
import type { TurnRequest, TurnResult } from './types.js';
import { userKeyOf } from './user-key.js';

export interface RunTurnDeps {
  characters: CharacterRegistry;
  memory: Pick<MemoryPort, 'recall'>;
  windows: ConversationWindows;
  relevantTurns: number;
  /** The plugins enabled by a character (by character name), if any. */
  plugins: ((character: string) => PluginHost | undefined) | undefined;
  stats: Pick<ConversationStats, 'turns'>;
  repeatTurn: RepeatTurn;
  prefill: Prefill;
  analyse: AnalyseTurn;
  turnPrompt: BuildTurnPrompt;
  generateReply: GenerateReply;
  commitToAo: CommitToAo;
  rememberTurn: RememberTurn;
  /** Runs work after the reply is out (plugin evaluators). */
  track(work: Promise<unknown>): void;
}

/** What plugins add to the prompt: their providers' context, and what their actions told the user already. */
const pluginContext = (outcome: PluginOutcome) => [...outcome.context, ...outcome.actions.map((action) => `You already told the user (${action.name}): ${action.text}`)];

export function runTurnWith(deps: RunTurnDeps): (request: TurnRequest) => Promise<TurnResult> {
  return async function runTurn(request) {
    const started = Date.now();
    const text = cleanMessage(request.text);
    const character = deps.characters.get(request.character);
    const userKey = userKeyOf(request.channel, request.userId);
    const { turnId, aoTurnId } = turnIdsOf(userKey, request.idempotencyKey);
    const earlier = await deps.repeatTurn({ userKey, turnId, idempotencyKey: request.idempotencyKey, character: character.name, started });
    if (earlier) return earlier;

    deps.stats.turns++;
    const window = deps.windows.open(userKey);
    void deps.prefill(userKey, character, window, { text });
    const [recollection, analysed] = await Promise.all([
      deps.memory.recall(userKey, text, { recent: window.turns, relevant: deps.relevantTurns }),
      deps.analyse(aoTurnId, text, userKey),
    ]);
    const { analysis } = analysed;
    const about = { turnId, userKey, text, understanding: analysis?.understanding, sentiment: analysis?.sentiment };
    const host = deps.plugins?.(character.name);
    const outcome: PluginOutcome = host ? await host.beforeReply(about) : { context: [], actions: [] };
    const prompt = deps.turnPrompt({ userKey, character, seed: window.seed, text, recollection, forMessage: { plan: analysis?.plan, context: pluginContext(outcome) } });
    deps.windows.shown(userKey, prompt.recent.length);

    const generated = await deps.generateReply({ messages: prompt.messages, userKey, actions: outcome.actions, request, started });
    const { reply, said } = generated;
    // The next turn's history is this one's and this exchange: evaluated now, it is ready then.
    deps.windows.noted(userKey, { userText: text, reply }, { notes: prompt.fresh, ...(said === undefined ? {} : { said }) }, prompt.recent);
    const next = deps.windows.peek(userKey);
    if (next) void deps.prefill(userKey, character, next, { turns: [...prompt.recent, { userText: text, reply }] });

    const ao = await deps.commitToAo({ turnId, aoTurnId, analysis, messages: prompt.messages, reply, tokens: generated.tokens });
    const written = await deps.rememberTurn(userKey, { turnId, text, reply, analysis, ao });
    if (host) deps.track(host.afterReply({ ...about, reply }));
    return turnResult({ turnId, character: character.name, analysed, ao, prompt, recollection, generated, written, started });
  };
}

interface Answered {
  turnId: string;
  character: string;
  analysed: Analysed;
  ao: Record<string, string>;
  prompt: TurnPrompt;
  recollection: Recollection;
  generated: Reply;
  written: string[];
  started: number;
}

function turnResult({ turnId, character, analysed, ao, prompt, recollection, generated, written, started }: Answered): TurnResult {
  return {
    turnId,
    reply: generated.reply,
    character,
    understanding: analysed.analysis?.understanding,
    sentiment: analysed.analysis?.sentiment,
    // Why this turn went without AO: for the caller, not for memory.
    ao: analysed.error ? { ...ao, error: analysed.error } : ao,
    knowledge: prompt.knowledge,
    memory: {
      recalled: [...prompt.recent.map((turn) => `${turn.userText}\n${turn.reply}`), ...recollection.relevant, ...recollection.facts],
      written,
    },
    timings: { firstTokenMs: generated.firstTokenMs, totalMs: Date.now() - started },
  };
}
