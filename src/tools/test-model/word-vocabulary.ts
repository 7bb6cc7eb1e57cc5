/**
 * A SentencePiece-style vocabulary for the real-shape test model: whole English words (with
 * every prefix, so the tokenizer's pair merges can build them), word pieces and all two- and
 * three-letter strings for the rest, byte fallback, special tokens, and pseudo-words up to the
 * real model's vocabulary size. English prompts come out at about 4 characters per token, as
 * with a real tokenizer (its token counts are what a benchmark of prompt evaluation needs).
 */
import { ENGLISH_PIECES, ENGLISH_WORDS } from './english-words.js';

/** llama.cpp's token types (tokenizer.ggml.token_type). */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, byte: 6 } as const;

export interface Vocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
  idOf(token: string): number;
}

const SPACE = '\u2581';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const PUNCTUATION = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;
/** Pieces a real tokenizer has for the punctuation and layout of chat prompts. */
const LAYOUT = ['\n', '\n\n', '.\n', '.\n\n', ':\n', '\n-', '\n#', "'s", '."', ',"', '?"', '!"', '—', `${SPACE}—`, `${SPACE}-`, `${SPACE}(`, `${SPACE}"`, '...', '**'];

export interface VocabularyOptions {
  size: number;
  /** Control tokens (chat-template markers), in id order after <unk>. */
  control: string[];
  /** Tokens matched whole in text, as a model's added tokens are. */
  userDefined: string[];
  /** Seeds the pseudo-words that fill the vocabulary up to `size`. */
  random: () => number;
}

export function wordVocabulary(opts: VocabularyOptions): Vocabulary {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const ids = new Map<string, number>();
  const push = (token: string, type: number, score: number) => {
    const known = ids.get(token);
    if (known !== undefined) {
      // The same piece reached twice (a word and a prefix of another): the higher score wins.
      scores[known] = Math.max(scores[known] ?? score, score);
      return;
    }
    ids.set(token, tokens.length);
    tokens.push(token);
    scores.push(score);
    types.push(type);
  };
  // Longer pieces score higher, so the tokenizer prefers whole words to their parts.
  const piece = (text: string, bonus = 0) => push(text, TOKEN_TYPE.normal, [...text].length * 10 + bonus);
  const withPrefixes = (text: string, bonus = 0) => {
    const chars = [...text];
    for (let end = 1; end <= chars.length; end++) piece(chars.slice(0, end).join(''), bonus);
  };

  push('<unk>', TOKEN_TYPE.unknown, 0);
  for (const token of opts.control) push(token, TOKEN_TYPE.control, 0);
  for (const token of opts.userDefined) push(token, TOKEN_TYPE.userDefined, 0);
  for (let byte = 0; byte < 256; byte++) push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, TOKEN_TYPE.byte, 0);

  for (const char of `${LETTERS}${LETTERS.toUpperCase()}0123456789${PUNCTUATION}`) {
    piece(char);
    piece(SPACE + char);
  }
  piece(SPACE);
  for (const text of LAYOUT) piece(text);
  for (const a of LETTERS) {
    for (const b of LETTERS) {
      piece(a + b);
      piece(SPACE + a + b);
      for (const c of LETTERS) {
        piece(a + b + c);
        piece(SPACE + a + b + c);
      }
    }
  }
  for (const word of ENGLISH_WORDS.split(/\s+/).filter(Boolean)) {
    const capital = word.charAt(0).toUpperCase() + word.slice(1);
    // At a line's start a word has no space before it.
    for (const form of [word, capital]) {
      withPrefixes(SPACE + form);
      withPrefixes(form);
    }
  }
  // Slightly below whole words of the same length: a word boundary is the better split.
  for (const text of ENGLISH_PIECES.split(/\s+/).filter(Boolean)) withPrefixes(text, -5);

  // Pseudo-words up to the real vocabulary's size: the output layer is as wide as the real
  // model's, and sampled tokens read like words of a few letters. With their prefixes, a reply
  // made of them tokenizes back to as many tokens when it comes back as history.
  while (tokens.length < opts.size) {
    const length = 4 + Math.floor(opts.random() * 3);
    let word = SPACE;
    for (let i = 0; i < length; i++) word += LETTERS[Math.floor(opts.random() * LETTERS.length)];
    const chars = [...word];
    for (let end = 5; end <= chars.length && tokens.length < opts.size; end++) piece(chars.slice(0, end).join(''), -1);
  }
  if (tokens.length > opts.size) throw new Error(`the vocabulary has ${tokens.length} pieces, more than ${opts.size}`);

  return {
    tokens,
    scores,
    types,
    idOf(token) {
      const id = ids.get(token);
      if (id === undefined) throw new Error(`no token ${token} in the vocabulary`);
      return id;
    },
  };
}
