/** The AO process modules built by scripts/build-modules.mjs (run by `npm run build`). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UnavailableError } from '../errors.js';
import { packageRoot } from '../package-root.js';

export const moduleNames = ['understanding', 'sentiment', 'generation'] as const;
export type ModuleName = (typeof moduleNames)[number];

export const MODULE_FORMAT = 'wasm32-unknown-emscripten4';

export function modulePath(name: ModuleName): string {
  return path.join(packageRoot(), 'build', 'modules', `${name}.wasm`);
}

export async function loadModuleBytes(name: ModuleName): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(modulePath(name)));
  } catch (error) {
    throw new UnavailableError(`the ${name} AO module is not built (${modulePath(name)})`, { cause: error, hint: 'run: npm run build' });
  }
}
