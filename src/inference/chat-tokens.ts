/**
 * Our messages as node-llama-cpp's chat history, and the tokens the chat wrapper lays out for
 * them: the whole prompt, as LlamaChat evaluates it, and the part of it that the known messages
 * fix whatever comes after them (what a prefill can evaluate ahead).
 */
import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from 'node-llama-cpp';
import type { ChatMessage } from './types.js';

export function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === 'system'
      ? { type: 'system', text: message.content }
      : message.role === 'user'
        ? { type: 'user', text: message.content }
        : { type: 'model', response: [message.content] },
  );
  // generateResponse continues the last model turn: an empty one asks for a new reply.
  history.push({ type: 'model', response: [] });
  return history;
}

export function promptTokens(wrapper: ChatWrapper, model: LlamaModel, messages: ChatMessage[]): Token[] {
  return wrapper.generateContextState({ chatHistory: toHistory(messages) }).contextText.tokenize(model.tokenizer);
}

/**
 * The tokens that `known` fixes, whatever follows it. The wrapper may lay out the end of the
 * known part differently depending on what comes next (a closing tag, a system message merged
 * with the next one), so the prompt is laid out with two different endings (one as the service
 * writes them: a system message then the user's; one with the user's message alone) and only
 * their common start is taken.
 */
export function stablePrefixTokens(wrapper: ChatWrapper, model: LlamaModel, known: ChatMessage[]): Token[] {
  const a = promptTokens(wrapper, model, [...known, { role: 'system', content: 'a' }, { role: 'user', content: 'a' }]);
  const b = promptTokens(wrapper, model, [...known, { role: 'user', content: 'b' }]);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.slice(0, common);
}
