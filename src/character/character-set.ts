/**
 * The characters the bot can be: every valid file in CHARACTERS_DIR plus the configured
 * default (a path or a name). Names match case-insensitively, by `name` or file stem.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { LoadedCharacter } from './types.js';
import { CharacterFileError, loadCharacterFile } from './load.js';
import type { ValidationDeps } from './validate.js';

export interface CharacterSet {
  default: LoadedCharacter;
  all: LoadedCharacter[];
  get(name?: string): LoadedCharacter;
}

const DEFAULT_NAME = 'eliza';

function looksLikePath(value: string): boolean {
  return value.endsWith('.json') || value.includes('/') || value.includes('\\');
}

export async function loadCharacterSet(opts: {
  charactersDir: string;
  /** CHARACTER: a file path or a name; the shipped "eliza" when unset. */
  defaultCharacter?: string;
  cwd: string;
  deps: ValidationDeps;
  warn: (line: string) => void;
  /** Migration notices of files that loaded fine (the operator may want them; `check` shows them too). */
  notice?: (line: string) => void;
}): Promise<CharacterSet> {
  const dir = path.resolve(opts.cwd, opts.charactersDir);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.json')).sort();
  const all: LoadedCharacter[] = [];
  const stems = new Map<string, LoadedCharacter>();
  for (const file of files) {
    try {
      const character = await loadCharacterFile(path.join(dir, file), { ...opts.deps, allowMissingPlugins: true });
      all.push(character);
      stems.set(path.basename(file, '.json').toLowerCase(), character);
    } catch (error) {
      if (!(error instanceof CharacterFileError)) throw error;
      opts.warn(`character ${file} skipped: ${error.message}`);
    }
  }
  const find = (name: string) =>
    all.find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? stems.get(name.toLowerCase().replace(/\.json$/, ''));

  let fallback: LoadedCharacter | undefined;
  const wanted = opts.defaultCharacter;
  if (wanted && looksLikePath(wanted)) {
    fallback = await loadCharacterFile(path.resolve(opts.cwd, wanted), { ...opts.deps, allowMissingPlugins: true });
    if (!find(fallback.name)) all.unshift(fallback);
  } else {
    fallback = find(wanted ?? DEFAULT_NAME) ?? (wanted ? undefined : all[0]);
    if (!fallback) {
      throw new InputError(`no character named "${wanted ?? DEFAULT_NAME}" in ${dir}`, {
        hint: all.length ? `choose one of: ${all.map((c) => c.name).join(', ')}, or give a file path` : `put elizaOS character JSON files in ${dir} or set CHARACTER to a file`,
      });
    }
  }
  for (const character of all) for (const notice of character.notices) (opts.notice ?? opts.warn)(`character ${character.name}: ${notice}`);
  const chosen = fallback;
  return {
    default: chosen,
    all,
    get(name) {
      if (!name) return chosen;
      const found = find(name);
      if (!found) throw new InputError(`unknown character "${name}"`, { hint: `choose one of: ${all.map((c) => c.name).join(', ')}` });
      return found;
    },
  };
}
