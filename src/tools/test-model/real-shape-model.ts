/**
 * The real-shape test model: a GGUF file of the default model's architecture and sizes
 * (Qwen3-1.7B: qwen3, 28 layers × 2048, 16 query / 8 key-value heads of 128, FFN 6144,
 * vocabulary 151,936, tied embeddings) with seeded random Q4_0 weights, Qwen3's chat template
 * and a word vocabulary (./word-vocabulary.ts). Its replies are gibberish, but it costs what the
 * real model costs to evaluate and decode on this machine: what benchmarks of latency need.
 * About 1 GB, so it is generated on demand under DATA_DIR/models/test and never committed.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { dataPaths } from '../../config/paths.js';
import { Q4_0_BLOCK, writeGgufFile, type GgufValue, type StreamedTensor } from './gguf-writer.js';
import { QWEN3_CHAT_TEMPLATE } from './qwen3-chat-template.js';
import { wordVocabulary } from './word-vocabulary.js';

export interface Qwen3Shape {
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  feedForward: number;
  vocabulary: number;
  context: number;
  ropeBase: number;
  rmsEpsilon: number;
}

/** Qwen3-1.7B's hyperparameters, as in its config.json. */
export const QWEN3_1_7B: Qwen3Shape = {
  layers: 28,
  embedding: 2048,
  heads: 16,
  kvHeads: 8,
  headDim: 128,
  feedForward: 6144,
  vocabulary: 151_936,
  context: 40_960,
  ropeBase: 1_000_000,
  rmsEpsilon: 1e-6,
};

/** The version in the name changes whenever the bytes would: a stale file is never reused. */
const FILE_NAME = 'real-shape-qwen3-1.7b-q4_0.v1.gguf';

/**
 * Kept out of DATA_DIR/models itself: the service takes the first model file it finds there,
 * and must not answer with gibberish instead of downloading the real model.
 */
export const realShapeModelPath = (dataDir: string) => path.join(dataPaths(dataDir).testModels, FILE_NAME);

/** xorshift32: fast and seeded, so the gigabyte of weights is the same on every machine. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** IEEE half precision bits of a small positive normal number (a Q4_0 block's scale). */
function toHalf(value: number): number {
  const exponent = Math.floor(Math.log2(value));
  const mantissa = Math.round((value / 2 ** exponent - 1) * 1024);
  return ((exponent + 15) << 10) | (mantissa & 0x3ff);
}

const ROWS_PER_CHUNK = 256;

/** Random 4-bit weights with one scale, so each output keeps about the size of the inputs. */
function q4Tensor(name: string, dims: [number, number], next: () => number): StreamedTensor {
  const [width, rows] = dims;
  // Values (q - 8) · d with q uniform in 0..15 have a standard deviation of about 4.6 d.
  const half = toHalf(1 / (4.6 * Math.sqrt(width)));
  const blocksPerRow = width / Q4_0_BLOCK.weights;
  return {
    name,
    dims,
    type: 'q4_0',
    *chunks() {
      for (let row = 0; row < rows; row += ROWS_PER_CHUNK) {
        const blocks = Math.min(ROWS_PER_CHUNK, rows - row) * blocksPerRow;
        const bytes = blocks * Q4_0_BLOCK.bytes;
        const words = new Uint32Array(Math.ceil(bytes / 4));
        for (let i = 0; i < words.length; i++) words[i] = next();
        const chunk = new Uint8Array(words.buffer, 0, bytes);
        for (let block = 0; block < blocks; block++) {
          const at = block * Q4_0_BLOCK.bytes;
          chunk[at] = half & 0xff;
          chunk[at + 1] = half >>> 8;
        }
        yield chunk;
      }
    },
  };
}

function onesTensor(name: string, width: number): StreamedTensor {
  return { name, dims: [width], type: 'f32', *chunks() { yield new Uint8Array(new Float32Array(width).fill(1).buffer); } };
}

/** `shape` other than the default is for tests: the same architecture and vocabulary, small layers. */
export async function writeRealShapeModel(file: string, shape: Qwen3Shape = QWEN3_1_7B): Promise<{ bytes: number }> {
  const next = xorshift(0x5eed);
  const vocabulary = wordVocabulary({
    size: shape.vocabulary,
    control: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
    userDefined: ['<think>', '</think>', '<tool_call>', '</tool_call>', '<tool_response>', '</tool_response>'],
    random: () => next() / 4294967296,
  });
  const qWidth = shape.heads * shape.headDim;
  const kvWidth = shape.kvHeads * shape.headDim;
  // No output.weight: the embeddings are tied, and llama.cpp reuses token_embd for the output.
  const tensors: StreamedTensor[] = [q4Tensor('token_embd.weight', [shape.embedding, shape.vocabulary], next), onesTensor('output_norm.weight', shape.embedding)];
  for (let layer = 0; layer < shape.layers; layer++) {
    const p = `blk.${layer}`;
    tensors.push(
      onesTensor(`${p}.attn_norm.weight`, shape.embedding),
      q4Tensor(`${p}.attn_q.weight`, [shape.embedding, qWidth], next),
      q4Tensor(`${p}.attn_k.weight`, [shape.embedding, kvWidth], next),
      q4Tensor(`${p}.attn_v.weight`, [shape.embedding, kvWidth], next),
      q4Tensor(`${p}.attn_output.weight`, [qWidth, shape.embedding], next),
      // Qwen3 normalises each head's queries and keys.
      onesTensor(`${p}.attn_q_norm.weight`, shape.headDim),
      onesTensor(`${p}.attn_k_norm.weight`, shape.headDim),
      onesTensor(`${p}.ffn_norm.weight`, shape.embedding),
      q4Tensor(`${p}.ffn_gate.weight`, [shape.embedding, shape.feedForward], next),
      q4Tensor(`${p}.ffn_up.weight`, [shape.embedding, shape.feedForward], next),
      q4Tensor(`${p}.ffn_down.weight`, [shape.feedForward, shape.embedding], next),
    );
  }
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const arch = 'qwen3';
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: arch }],
    ['general.name', { type: 'string', value: 'permachat real-shape test (Qwen3-1.7B shape)' }],
    ['general.alignment', u32(32)],
    // 2 = all 2-D weights Q4_0.
    ['general.file_type', u32(2)],
    ['general.quantization_version', u32(2)],
    [`${arch}.context_length`, u32(shape.context)],
    [`${arch}.embedding_length`, u32(shape.embedding)],
    [`${arch}.block_count`, u32(shape.layers)],
    [`${arch}.feed_forward_length`, u32(shape.feedForward)],
    [`${arch}.attention.head_count`, u32(shape.heads)],
    [`${arch}.attention.head_count_kv`, u32(shape.kvHeads)],
    [`${arch}.attention.key_length`, u32(shape.headDim)],
    [`${arch}.attention.value_length`, u32(shape.headDim)],
    [`${arch}.rope.freq_base`, { type: 'f32', value: shape.ropeBase }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: 'f32', value: shape.rmsEpsilon }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocabulary.types }],
    ['tokenizer.ggml.unknown_token_id', u32(vocabulary.idOf('<unk>'))],
    // As Qwen3's: no BOS is added, <|im_end|> ends a turn.
    ['tokenizer.ggml.bos_token_id', u32(vocabulary.idOf('<|endoftext|>'))],
    ['tokenizer.ggml.eos_token_id', u32(vocabulary.idOf('<|im_end|>'))],
    ['tokenizer.ggml.padding_token_id', u32(vocabulary.idOf('<|endoftext|>'))],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    // Like a byte-level BPE tokenizer: a space is part of the word after it, none is invented.
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: QWEN3_CHAT_TEMPLATE }],
  ];
  const partial = `${file}.partial`;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  try {
    const bytes = await writeGgufFile(partial, metadata, tensors);
    // Renamed only once complete: an interrupted run never leaves a file that looks usable.
    await rename(partial, file);
    return { bytes };
  } finally {
    await rm(partial, { force: true });
  }
}

/** The real-shape model under DATA_DIR, generated the first time it is asked for (15 s on 2 cores). */
export async function ensureRealShapeModel(dataDir: string, log: (line: string) => void): Promise<string> {
  const file = realShapeModelPath(dataDir);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isFile()) return file;
  log(`generating the real-shape test model (Qwen3-1.7B shape, Q4_0, about 1 GB) into ${file}`);
  const started = performance.now();
  const { bytes } = await writeRealShapeModel(file);
  log(`wrote ${(bytes / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}
