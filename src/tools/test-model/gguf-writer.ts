/**
 * A minimal GGUF v3 writer (the llama.cpp model file format): metadata key/values, tensor
 * descriptors, then aligned tensor data (f32, or Q4_0 blocks). Small models are encoded in
 * memory; a real-size one is streamed to its file, its tensors produced chunk by chunk.
 */
import { open } from 'node:fs/promises';

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'u64'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'f32[]'; value: number[] }
  | { type: 'i32[]'; value: number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: the innermost (contiguous) dimension first. */
  dims: number[];
  data: Float32Array;
}

const ALIGNMENT = 32;
const TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const;
/** ggml's tensor type ids. */
const GGML_TYPE = { f32: 0, q4_0: 2 } as const;
export type GgmlType = keyof typeof GGML_TYPE;

/** Q4_0: blocks of 32 weights, each an f16 scale and 16 bytes of 4-bit values. */
export const Q4_0_BLOCK = { weights: 32, bytes: 18 } as const;

/** A tensor whose bytes are produced while the file is written. */
export interface StreamedTensor {
  name: string;
  /** ggml order: the innermost (contiguous) dimension first. */
  dims: number[];
  type: GgmlType;
  chunks(): Iterable<Uint8Array>;
}

export function tensorBytes(dims: number[], type: GgmlType): number {
  const count = dims.reduce((a, b) => a * b, 1);
  if (type === 'f32') return count * 4;
  if ((dims[0] ?? 0) % Q4_0_BLOCK.weights !== 0) throw new Error(`Q4_0 rows must be a multiple of ${Q4_0_BLOCK.weights} wide`);
  return (count / Q4_0_BLOCK.weights) * Q4_0_BLOCK.bytes;
}

const aligned = (bytes: number) => Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  private push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  bytes(buffer: Buffer): void {
    this.push(buffer);
  }
  pad(): void {
    const rest = this.length % ALIGNMENT;
    if (rest !== 0) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(out: ByteWriter, value: GgufValue): void {
  switch (value.type) {
    case 'u32': out.u32(TYPE.u32); out.u32(value.value); break;
    case 'u64': out.u32(TYPE.u64); out.u64(value.value); break;
    case 'i32': out.u32(TYPE.i32); out.i32(value.value); break;
    case 'f32': out.u32(TYPE.f32); out.f32(value.value); break;
    case 'bool': out.u32(TYPE.bool); out.bytes(Buffer.from([value.value ? 1 : 0])); break;
    case 'string': out.u32(TYPE.string); out.string(value.value); break;
    case 'string[]':
      out.u32(TYPE.array); out.u32(TYPE.string); out.u64(value.value.length);
      for (const item of value.value) out.string(item);
      break;
    case 'f32[]':
      out.u32(TYPE.array); out.u32(TYPE.f32); out.u64(value.value.length);
      for (const item of value.value) out.f32(item);
      break;
    case 'i32[]':
      out.u32(TYPE.array); out.u32(TYPE.i32); out.u64(value.value.length);
      for (const item of value.value) out.i32(item);
      break;
  }
}

/** The header: magic, counts, metadata and tensor descriptors, padded to the data's alignment. */
function encodeHeader(metadata: Array<[string, GgufValue]>, tensors: Array<{ name: string; dims: number[]; type: GgmlType; bytes: number }>): Buffer {
  const out = new ByteWriter();
  out.bytes(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(GGML_TYPE[tensor.type]);
    out.u64(offset);
    offset += aligned(tensor.bytes);
  }
  out.pad();
  return out.toBuffer();
}

export function encodeGguf(metadata: Array<[string, GgufValue]>, tensors: GgufTensor[]): Buffer {
  const out = new ByteWriter();
  out.bytes(encodeHeader(metadata, tensors.map((t) => ({ ...t, type: 'f32' as const, bytes: t.data.byteLength }))));
  for (const tensor of tensors) {
    out.bytes(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.pad();
  }
  return out.toBuffer();
}

/** Writes a GGUF file without holding its tensors in memory (a real-size model is about 1 GB). */
export async function writeGgufFile(file: string, metadata: Array<[string, GgufValue]>, tensors: StreamedTensor[]): Promise<number> {
  const described = tensors.map((t) => ({ ...t, bytes: tensorBytes(t.dims, t.type) }));
  const handle = await open(file, 'w');
  try {
    const header = encodeHeader(metadata, described);
    await handle.write(header);
    let written = header.length;
    for (const tensor of described) {
      let bytes = 0;
      for (const chunk of tensor.chunks()) {
        await handle.write(chunk);
        bytes += chunk.byteLength;
      }
      if (bytes !== tensor.bytes) throw new Error(`tensor ${tensor.name}: ${bytes} bytes written, ${tensor.bytes} expected`);
      const padding = aligned(bytes) - bytes;
      if (padding > 0) await handle.write(Buffer.alloc(padding));
      written += bytes + padding;
    }
    return written;
  } finally {
    await handle.close();
  }
}
