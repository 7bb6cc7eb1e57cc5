/**
 * Finds and loads the plugins a character names: `plugins/<name>/` of this project first,
 * then an installed npm package of that name. A plugin is an elizaOS `Plugin` object.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { packageRoot, runningFromSource } from '../package-root.js';
import type { LoadedPlugin } from './plugin-types.js';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function');
const pluginShape = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  providers: z.array(z.object({ name: z.string(), get: fn }).passthrough()).optional(),
  actions: z.array(z.object({ name: z.string(), validate: fn, handler: fn }).passthrough()).optional(),
  evaluators: z.array(z.object({ name: z.string(), validate: fn, handler: fn }).passthrough()).optional(),
  init: fn.optional(),
}).passthrough();

/** Local plugin folder names are plain words; npm names may be scoped (`@scope/name`). */
const pluginName = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

function localEntry(name: string, pluginsDir: string): string | undefined {
  if (name.startsWith('@') || name.includes('/')) return undefined;
  const candidates = runningFromSource() || pluginsDir !== defaultPluginsDir()
    ? [path.join(pluginsDir, name, 'index.ts'), path.join(pluginsDir, name, 'index.js')]
    : [path.join(packageRoot(), 'dist', 'plugins', name, 'index.js')];
  return candidates.find((file) => existsSync(file));
}

export function defaultPluginsDir(): string {
  return path.join(packageRoot(), 'plugins');
}

function packageEntry(name: string): string | undefined {
  try {
    return import.meta.resolve(name);
  } catch {
    return undefined;
  }
}

/** Whether `name` can be loaded: used by character validation to report unknown plugins. */
export function pluginExists(name: string, pluginsDir = defaultPluginsDir()): boolean {
  if (!pluginName.test(name)) return false;
  return localEntry(name, pluginsDir) !== undefined || packageEntry(name) !== undefined;
}

function pickPlugin(module: Record<string, unknown>): unknown {
  const candidates = [module.default, module.plugin, ...Object.values(module)];
  return candidates.find((value) => pluginShape.safeParse(value).success);
}

export async function loadPlugin(name: string, pluginsDir = defaultPluginsDir()): Promise<LoadedPlugin> {
  if (!pluginName.test(name)) throw new InputError(`"${name}" is not a valid plugin name`, { hint: 'use a folder name under plugins/ or an npm package name' });
  const local = localEntry(name, pluginsDir);
  const url = local ? pathToFileURL(local).href : packageEntry(name);
  if (!url) {
    throw new InputError(`plugin "${name}" is not installed`, {
      hint: `add plugins/${name}/index.ts, or install the npm package "${name}", or remove it from the character's "plugins"`,
    });
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`plugin "${name}" failed to load: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const plugin = pickPlugin(module);
  if (!plugin) {
    const problem = pluginShape.safeParse(module.default).error?.issues[0];
    throw new InputError(`plugin "${name}" does not export an elizaOS Plugin object${problem ? ` (${problem.path.join('.')}: ${problem.message})` : ''}`, {
      hint: 'export default { name, description, providers?, actions?, evaluators? }',
    });
  }
  // Checked against pluginShape above; the elizaOS types describe the rest.
  return { source: local ? 'local' : 'npm', id: name, plugin: plugin as LoadedPlugin['plugin'] };
}

export async function loadPlugins(names: string[], pluginsDir = defaultPluginsDir()): Promise<LoadedPlugin[]> {
  return Promise.all(names.map((name) => loadPlugin(name, pluginsDir)));
}
