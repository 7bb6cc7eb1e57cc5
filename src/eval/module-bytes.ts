/**
 * Reads a built module from build/modules/<name>.wasm. A stand-in until src/ao/modules.ts
 * offers `loadModuleBytes(name)`; the eval only needs a `(name) => Promise<Uint8Array>`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UnavailableError } from '../errors.js';
import { packageRoot } from '../package-root.js';

export function builtModulePath(name: string, root = packageRoot()): string {
  return path.join(root, 'build', 'modules', `${name}.wasm`);
}

export async function readBuiltModule(name: string, root = packageRoot()): Promise<Uint8Array> {
  const file = builtModulePath(name, root);
  try {
    return new Uint8Array(await readFile(file));
  } catch (cause) {
    throw new UnavailableError(`the ${name} module is not built (${file})`, {
      cause,
      hint: 'build it with `node scripts/build-modules.mjs`',
    });
  }
}
