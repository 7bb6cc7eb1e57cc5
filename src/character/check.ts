/** `permachat check`: one line `<file>: <field path>: <problem>` per problem, ok when none. */
import { CharacterFileError, loadCharacterFile } from './load.js';
import type { ValidationDeps } from './validate.js';

export async function checkCharacterFiles(files: string[], deps: ValidationDeps): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const file of files) {
    try {
      const character = await loadCharacterFile(file, { ...deps, allowMissingPlugins: false });
      // How much knowledge loaded tells the operator that its files and folders were found.
      const knowledge = character.knowledge.length ? `, ${character.knowledge.length} knowledge passage${character.knowledge.length === 1 ? '' : 's'}` : '';
      lines.push(`${file}: ok (${character.name}${knowledge})${character.notices.length ? ` — ${character.notices.join('; ')}` : ''}`);
    } catch (error) {
      if (!(error instanceof CharacterFileError)) throw error;
      ok = false;
      for (const problem of error.problems) lines.push(`${file}: ${problem.path}: ${problem.problem}`);
    }
  }
  return { ok, lines };
}
