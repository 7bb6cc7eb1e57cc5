/**
 * The reply: the plugins' action results first (they reach the user before the model's words),
 * then the model's text streamed as it comes, control characters removed from both.
 */
import type { ChatMessage, LanguageModel } from '../inference/types.js';
import type { PluginOutcome } from '../plugin-host/plugin-host.js';
import { withoutControls } from './control-chars.js';
import type { TurnRequest } from './types.js';
import type { UserKey } from './user-key.js';

export interface ReplyInput {
  messages: ChatMessage[];
  userKey: UserKey;
  actions: PluginOutcome['actions'];
  request: Pick<TurnRequest, 'onToken' | 'signal'>;
  /** Date.now() when the turn started: the first token's time counts from then. */
  started: number;
}

export interface Reply {
  reply: string;
  /**
   * The model's text untrimmed, when trimming changed it (and only that): the next prompt holds
   * the tokens the model wrote, not a re-tokenized variant that would be evaluated again.
   */
  said: string | undefined;
  tokens: number;
  firstTokenMs: number | undefined;
}

export type GenerateReply = (input: ReplyInput) => Promise<Reply>;

export function generateReplyWith(deps: { model: Pick<LanguageModel, 'generate'>; maxTokens: number }): GenerateReply {
  return async function generateReply({ messages, userKey, actions, request, started }) {
    let firstTokenMs: number | undefined;
    const actionText = withoutControls(actions.map((action) => action.text).join('\n'));
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
    const said = generated.text !== reply && generated.text.trim() === reply ? generated.text : undefined;
    return { reply, said, tokens: generated.tokens, firstTokenMs };
  };
}
