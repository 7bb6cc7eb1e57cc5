/**
 * The deterministic test models: valid GGUF files of llama architecture (f32) with seeded
 * pseudo-random weights and a SentencePiece-style vocabulary (byte fallback + whole-word pieces,
 * so text survives tokenize→detokenize). Their output is gibberish; loading and generating with
 * them exercises the real inference path.
 * - `tiny` (2 layers × 64): for tests; its compute is next to nothing.
 * - `bench` (8 layers × 512, ~100 MB): big enough that reading the weights dominates each
 *   decoding step, as with real models, so batched sequences show their effect. `permachat
 *   bench` now uses the real-shape model (./real-shape-model.ts) instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeGguf, type GgufTensor, type GgufValue } from './gguf-writer.js';

export interface ModelShape {
  embd: number;
  heads: number;
  layers: number;
  ff: number;
}

export const MODEL_SHAPES = {
  tiny: { embd: 64, heads: 4, layers: 2, ff: 128 },
  bench: { embd: 512, heads: 8, layers: 8, ff: 1408 },
} satisfies Record<string, ModelShape>;
export type ModelSize = keyof typeof MODEL_SHAPES;

const CONTEXT = 4096;
const SPACE = '\u2581';

const WORDS = `the a an and or but if then so to of in on at for with from by about as is are was were be been
i you he she it we they me my your our their this that these those what who how why when where which
hello hi hey thanks thank please yes no not sure okay ok good great bad nice well very really just
do does did have has had can could will would should may might must know think like love want need
go going come see look tell say said talk chat help remember forget name day time today tomorrow
sea sail sailing boat wind water ship captain story detective case night city rain coffee friend
question answer idea thing people world life work home music book food good morning evening`.split(/\s+/);

const PUNCTUATION = ` !"#$%&'()*+,-./0123456789:;<=>?@[\\]^_\`{|}~`;

function vocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const scores: number[] = [0, 0, 0];
  const types: number[] = [2, 3, 3];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    scores.push(0);
    types.push(6);
  }
  const seen = new Set(tokens);
  const add = (piece: string) => {
    if (seen.has(piece)) return;
    seen.add(piece);
    tokens.push(piece);
    // Longer pieces score higher, so the tokenizer prefers whole words.
    scores.push(-1000 + [...piece].length * 10);
    types.push(1);
  };
  add(SPACE);
  for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' + PUNCTUATION.replace(' ', '')) add(char);
  for (const char of 'abcdefghijklmnopqrstuvwxyz0123456789') add(SPACE + char);
  for (const word of WORDS) {
    // Every prefix of "▁word" is a piece, so pair merges can build the word left to right.
    const piece = SPACE + word;
    for (let end = 2; end <= piece.length; end++) add(piece.slice(0, end));
  }
  return { tokens, scores, types };
}

/** mulberry32: a small seeded PRNG, so the weights are the same bytes on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tensor(name: string, dims: number[], fill: 'ones' | number, next: () => number): GgufTensor {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = fill === 'ones' ? 1 : (next() * 2 - 1) * fill;
  return { name, dims, data };
}

export function buildTestModel(size: ModelSize = 'tiny'): Buffer {
  const { embd: N_EMBD, heads: N_HEAD, layers: N_LAYER, ff: N_FF } = MODEL_SHAPES[size];
  // Wider layers get smaller weights, so activations stay in the same range as the tiny model's.
  const w = 0.2 * Math.sqrt(64 / N_EMBD);
  const { tokens, scores, types } = vocabulary();
  const next = random(0x5eed);
  const nVocab = tokens.length;
  const tensors: GgufTensor[] = [
    tensor('token_embd.weight', [N_EMBD, nVocab], 0.5, next),
    tensor('output_norm.weight', [N_EMBD], 'ones', next),
    tensor('output.weight', [N_EMBD, nVocab], 0.5, next),
  ];
  for (let layer = 0; layer < N_LAYER; layer++) {
    const p = `blk.${layer}`;
    tensors.push(
      tensor(`${p}.attn_norm.weight`, [N_EMBD], 'ones', next),
      tensor(`${p}.attn_q.weight`, [N_EMBD, N_EMBD], w, next),
      tensor(`${p}.attn_k.weight`, [N_EMBD, N_EMBD], w, next),
      tensor(`${p}.attn_v.weight`, [N_EMBD, N_EMBD], w, next),
      tensor(`${p}.attn_output.weight`, [N_EMBD, N_EMBD], w, next),
      tensor(`${p}.ffn_norm.weight`, [N_EMBD], 'ones', next),
      tensor(`${p}.ffn_gate.weight`, [N_EMBD, N_FF], w, next),
      tensor(`${p}.ffn_up.weight`, [N_EMBD, N_FF], w, next),
      tensor(`${p}.ffn_down.weight`, [N_FF, N_EMBD], w, next),
    );
  }
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: `permachat-${size}-test` }],
    ['general.alignment', u32(32)],
    ['llama.context_length', u32(CONTEXT)],
    ['llama.embedding_length', u32(N_EMBD)],
    ['llama.block_count', u32(N_LAYER)],
    ['llama.feed_forward_length', u32(N_FF)],
    ['llama.rope.dimension_count', u32(N_EMBD / N_HEAD)],
    ['llama.attention.head_count', u32(N_HEAD)],
    ['llama.attention.head_count_kv', u32(N_HEAD)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', u32(nVocab)],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: types }],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  return encodeGguf(metadata, tensors);
}

export async function writeTestModel(outPath: string, size: ModelSize = 'tiny'): Promise<void> {
  await mkdir(path.dirname(path.resolve(outPath)), { recursive: true });
  await writeFile(outPath, buildTestModel(size));
}
