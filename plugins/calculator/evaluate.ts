/**
 * A small arithmetic evaluator (recursive descent; no eval): + - * / % ^, parentheses,
 * unary minus, decimals, and the words "plus", "minus", "times", "divided by".
 */
export class CalculationError extends Error {}

const words: Array<[RegExp, string]> = [
  [/\bplus\b/gi, '+'],
  [/\bminus\b/gi, '-'],
  [/\b(?:times|multiplied by)\b/gi, '*'],
  [/\bdivided by\b/gi, '/'],
  [/\b(?:to the power of|power)\b/gi, '^'],
  [/\bmod(?:ulo)?\b/gi, '%'],
  [/[×x](?=\s*[\d(])/g, '*'],
  [/÷/g, '/'],
];

export function normaliseExpression(text: string): string {
  return words.reduce((out, [pattern, symbol]) => out.replace(pattern, symbol), text);
}

export function evaluate(expression: string): number {
  const tokens = normaliseExpression(expression).match(/\d+(?:\.\d+)?|[-+*/%^()]|\S/g) ?? [];
  let index = 0;
  const peek = () => tokens[index];
  const take = () => tokens[index++];

  function primary(): number {
    const token = take();
    if (token === undefined) throw new CalculationError('the expression ends too early');
    if (token === '-') return -primary();
    if (token === '+') return primary();
    if (token === '(') {
      const value = sum();
      if (take() !== ')') throw new CalculationError('a closing parenthesis is missing');
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    throw new CalculationError(`unexpected "${token}"`);
  }
  function power(): number {
    const base = primary();
    if (peek() === '^') {
      take();
      return base ** power();
    }
    return base;
  }
  function product(): number {
    let value = power();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = take();
      const right = power();
      if ((op === '/' || op === '%') && right === 0) throw new CalculationError('division by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }
  function sum(): number {
    let value = product();
    while (peek() === '+' || peek() === '-') value = take() === '+' ? value + product() : value - product();
    return value;
  }

  if (tokens.length === 0) throw new CalculationError('there is nothing to calculate');
  const value = sum();
  if (index !== tokens.length) throw new CalculationError(`unexpected "${tokens[index]}"`);
  if (!Number.isFinite(value)) throw new CalculationError('the result is not a finite number');
  return value;
}

/** Finds the arithmetic in a chat message ("what is 12 * (3 + 4)?"), or undefined. */
export function findExpression(text: string): string | undefined {
  const normalised = normaliseExpression(text);
  const match = /(?:^|[^\w.])([-(]*\d+(?:\.\d+)?\)*(?:\s*[-+*/%^]\s*[-(]*\d+(?:\.\d+)?\)*)+)/.exec(normalised);
  return match?.[1]?.trim();
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
