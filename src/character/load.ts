/** Reading a character file: parse, migrate older elizaOS formats, validate, normalise. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { CharacterProblem, ExampleMessage, JsonObject, LoadedCharacter } from './types.js';
import { lineColumn } from './field-path.js';
import { jsonErrorOffset } from './json-error.js';
import { loadKnowledge, toPassages, type KnowledgeItem } from './knowledge.js';
import { migrateCharacter } from './migrate.js';
import { coreProblems, dropUnknownFields, strictProblems, type ValidationDeps } from './validate.js';

const MAX_FILE_BYTES = 1024 * 1024;

/** A character file that cannot be used; `problems` lists each field and what is wrong. */
export class CharacterFileError extends InputError {
  constructor(readonly file: string, readonly problems: CharacterProblem[]) {
    super(`${file}: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`, { hint: 'fix the character file, then run: permachat check <file>' });
  }
}

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * A character from its JSON text. Knowledge strings become passages here; knowledge files and
 * folders are read by loadCharacterFile, which knows where the file is.
 */
export function parseCharacter(text: string, source: string, deps: ValidationDeps): LoadedCharacter {
  return parseWithKnowledgeItems(text, source, deps).character;
}

function parseWithKnowledgeItems(text: string, source: string, deps: ValidationDeps): { character: LoadedCharacter; knowledge: KnowledgeItem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(text);
    const where = offset === undefined ? '' : (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, offset));
    const reason = message.split(/, "|\n| in JSON/)[0] ?? message;
    throw new CharacterFileError(source, [{ path: '(file)', problem: `invalid JSON${where}: ${reason}` }]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CharacterFileError(source, [{ path: '(root)', problem: 'a character file must hold one JSON object' }]);
  }
  const migrated = migrateCharacter(raw as JsonObject);
  const known = dropUnknownFields(migrated.data);
  const strict = strictProblems(known.data, deps);
  const problems = [...coreProblems(known.data), ...strict.problems];
  // The same field may be reported by both validators; keep the first of each path.
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.path === p.path) === i);
  if (unique.length > 0) throw new CharacterFileError(source, unique);
  const character = normalise(known.data, source, [...migrated.notices, ...known.notices, ...strict.notices]);
  // Schema-checked above: each item is a string, { path } or { directory }.
  const items = (Array.isArray(known.data.knowledge) ? known.data.knowledge : []) as KnowledgeItem[];
  return { character, knowledge: items };
}

export async function loadCharacterFile(file: string, deps: ValidationDeps): Promise<LoadedCharacter> {
  let text: string;
  try {
    const info = await stat(file);
    if (info.size > MAX_FILE_BYTES) throw new CharacterFileError(file, [{ path: '(file)', problem: `the file is larger than ${MAX_FILE_BYTES} bytes` }]);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof CharacterFileError) throw error;
    throw new CharacterFileError(file, [{ path: '(file)', problem: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
  }
  const { character, knowledge } = parseWithKnowledgeItems(text, file, deps);
  if (knowledge.every((item) => typeof item === 'string')) return character;
  // All items again (strings too), so that passages keep the file's order and problems its indexes.
  const loaded = await loadKnowledge(knowledge, path.dirname(file));
  if (loaded.problems.length > 0) throw new CharacterFileError(file, loaded.problems);
  return { ...character, knowledge: loaded.passages };
}

function normalise(data: JsonObject, source: string, notices: string[]): LoadedCharacter {
  const name = String(data.name).trim();
  const style = (data.style ?? {}) as JsonObject;
  const settings = (data.settings ?? {}) as JsonObject;
  const widget = (settings.widget ?? {}) as JsonObject;
  const examples = Array.isArray(data.messageExamples) ? data.messageExamples : [];
  const messageExamples: ExampleMessage[][] = examples.map((conversation: unknown) =>
    (Array.isArray(conversation) ? conversation : []).map((message: unknown) => {
      const m = message as { name?: unknown; content?: { text?: unknown } };
      return { name: String(m.name ?? ''), text: typeof m.content?.text === 'string' ? m.content.text : '' };
    }),
  );
  const knowledge = (Array.isArray(data.knowledge) ? data.knowledge.filter((k): k is string => typeof k === 'string') : []).flatMap((k) => toPassages(k));
  return {
    name,
    ...(typeof data.username === 'string' ? { username: data.username } : {}),
    ...(typeof data.system === 'string' ? { system: data.system } : {}),
    bio: strings(data.bio),
    topics: strings(data.topics),
    adjectives: strings(data.adjectives),
    knowledge,
    style: { all: strings(style.all), chat: strings(style.chat), post: strings(style.post) },
    messageExamples,
    postExamples: strings(data.postExamples),
    plugins: strings(data.plugins),
    settings,
    secrets: (data.secrets ?? {}) as LoadedCharacter['secrets'],
    ...(typeof widget.color === 'string' ? { color: widget.color } : {}),
    source,
    notices,
  };
}
