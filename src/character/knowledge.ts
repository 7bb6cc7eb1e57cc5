/**
 * A character's knowledge (elizaOS `knowledge`: strings, `{ path }` files and `{ directory }`
 * folders of text) cut into passages small enough that a few of them, the ones a message is
 * about, fit in the prompt.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CharacterProblem } from './types.js';

/** Passage size the prompt can hold three of, next to the persona and the user's memory. */
export const PASSAGE_CHARS = 700;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_TOTAL_BYTES = 8 * 1024 * 1024;
const TEXT_FILES = new Set(['.md', '.markdown', '.txt', '.text']);

export type KnowledgeItem = string | { path: string; shared?: boolean } | { directory: string; shared?: boolean };

/** Sentences of a paragraph too long to be one passage, regrouped up to the passage size. */
function splitLong(paragraph: string, max: number): string[] {
  const sentences = paragraph.match(/[^.!?。！？]+(?:[.!?。！？]+["')\]]*\s*|$)/g) ?? [paragraph];
  const out: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    // A single sentence longer than a passage is cut at the last space before the limit.
    for (let rest = sentence; rest.length > 0; ) {
      const room = max - current.length;
      if (rest.length <= room) {
        current += rest;
        rest = '';
      } else if (current.trim()) {
        out.push(current.trim());
        current = '';
      } else {
        const cut = rest.lastIndexOf(' ', max) > max / 2 ? rest.lastIndexOf(' ', max) : max;
        out.push(rest.slice(0, cut).trim());
        rest = rest.slice(cut);
      }
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/**
 * Paragraphs (blank-line separated) joined up to `max` characters; a Markdown heading stays with
 * the paragraph under it, and a paragraph longer than `max` is split between sentences.
 */
export function toPassages(text: string, max = PASSAGE_CHARS): string[] {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const out: string[] = [];
  let current = '';
  let heading = '';
  const flush = () => {
    if (current) out.push(current);
    current = '';
  };
  for (const paragraph of paragraphs) {
    if (/^#{1,6}\s/.test(paragraph) && !paragraph.includes('\n')) {
      flush();
      heading = paragraph.replace(/^#+\s*/, '');
      continue;
    }
    const labelled = heading ? `${heading}: ${paragraph}` : paragraph;
    heading = '';
    if (labelled.length > max) {
      flush();
      out.push(...splitLong(labelled, max));
    } else if (current && current.length + 2 + labelled.length > max) {
      flush();
      current = labelled;
    } else {
      current = current ? `${current}\n\n${labelled}` : labelled;
    }
  }
  flush();
  if (heading) out.push(heading);
  return out;
}

/** Text files under a folder, in a stable order (sub-folders included). */
async function textFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && TEXT_FILES.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export interface LoadedKnowledge {
  passages: string[];
  problems: CharacterProblem[];
}

/**
 * Reads every knowledge item: strings as they are, files and folders relative to the character
 * file's folder. What cannot be read is a problem naming the item (`knowledge[2].path`).
 */
export async function loadKnowledge(items: readonly KnowledgeItem[], baseDir: string): Promise<LoadedKnowledge> {
  const passages: string[] = [];
  const problems: CharacterProblem[] = [];
  let total = 0;
  const readText = async (file: string, where: string): Promise<string | undefined> => {
    const size = (await stat(file)).size;
    if (size > MAX_FILE_BYTES) {
      problems.push({ path: where, problem: `${file} is larger than ${MAX_FILE_BYTES} bytes; split it into smaller files` });
      return undefined;
    }
    total += size;
    if (total > MAX_TOTAL_BYTES) {
      problems.push({ path: where, problem: `the knowledge files add up to more than ${MAX_TOTAL_BYTES} bytes` });
      return undefined;
    }
    return readFile(file, 'utf8');
  };
  for (const [index, item] of items.entries()) {
    if (typeof item === 'string') {
      passages.push(...toPassages(item));
      continue;
    }
    const where = 'path' in item ? `knowledge[${index}].path` : `knowledge[${index}].directory`;
    const target = path.resolve(baseDir, 'path' in item ? item.path : item.directory);
    try {
      // Knowledge goes into prompts, and so can come out in replies: a character file may only
      // name files under its own folder (never ../.env, an absolute path, or a link out of it).
      const [root, real] = await Promise.all([realpath(baseDir), realpath(target)]);
      if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
        problems.push({ path: where, problem: `${target} is outside the character's folder ${root}; put knowledge files under it` });
        continue;
      }
      const files = 'path' in item ? [target] : await textFilesUnder(target);
      if (files.length === 0) problems.push({ path: where, problem: `no .md or .txt files in ${target}` });
      for (const file of files) {
        const text = await readText(file, where);
        if (text !== undefined) passages.push(...toPassages(text));
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      problems.push({ path: where, problem: `cannot read ${target} (${code}); paths are relative to the character file` });
    }
  }
  return { passages, problems };
}
