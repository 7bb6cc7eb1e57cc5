/** `permachat check`: one line `<file>: <field path>: <problem>` per problem, ok when none. */
import { CharacterFileError, loadCharacterFile } from './load.js';
import type { ValidationDeps } from './validate.js';

export async function checkCharacterFiles(files: string[], deps: ValidationDeps): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const file of files) {
    try {
      const character = await loadCharacterFile(file, { ...deps, allowMissingPlugins: false });
      lines.push(`${file}: ok (${character.name})${character.notices.length ? ` — ${character.notices.join('; ')}` : ''}`);
    } catch (error) {
      if (!(error instanceof CharacterFileError)) throw error;
      ok = false;
      for (const problem of error.problems) lines.push(`${file}: ${problem.path}: ${problem.problem}`);
    }
  }
  return { ok, lines };
}
