/**
 * calculator — exact arithmetic for the questions language models get wrong
 * ("what is 17.5% of 240" aside: + - * / % ^ and parentheses, digits or words).
 */
import type { Action, IAgentRuntime, Memory, Plugin } from '@elizaos/core';
import { CalculationError, evaluate, findExpression, formatNumber } from './evaluate.js';

const calculate: Action = {
  name: 'CALCULATE',
  similes: ['MATH', 'ARITHMETIC'],
  description: 'Computes arithmetic in the user message exactly',
  async validate(_runtime: IAgentRuntime, message: Memory) {
    return findExpression(message.content.text ?? '') !== undefined;
  },
  async handler(_runtime, message, _state, _options, callback) {
    const expression = findExpression(message.content.text ?? '');
    if (!expression) return { success: false, text: '' };
    try {
      const text = `${expression} = ${formatNumber(evaluate(expression))}`;
      await callback?.({ text, actions: ['CALCULATE'] });
      return { success: true, text, values: { expression } };
    } catch (error) {
      if (!(error instanceof CalculationError)) throw error;
      const text = `I cannot calculate ${expression}: ${error.message}.`;
      await callback?.({ text });
      return { success: false, text, error: error.message };
    }
  },
  examples: [],
};

const plugin: Plugin = {
  name: 'calculator',
  description: 'Exact arithmetic',
  actions: [calculate],
};

export default plugin;
