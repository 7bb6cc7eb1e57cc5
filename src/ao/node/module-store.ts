/**
 * Module binaries: published to Arweave with the tags aoconnect's spawn checks, and read back
 * (bytes + tags) when a process needs them. Cached in memory by module tx id.
 */
import { tagValue, type Tag } from '../../arweave/tag.js';
import type { ArweaveClient } from '../../arweave/client.js';
import { InputError } from '../../errors.js';
import { sha256Hex } from '../../hash.js';

export interface LoadedModule {
  id: string;
  bytes: Uint8Array;
  tags: Tag[];
  format: string;
  /** sha256 hex of the binary: recorded on the spawn log entry. */
  hash: string;
}

export interface PublishOptions {
  format?: string;
  memoryLimit?: string;
  computeLimit?: string;
  extraTags?: Tag[];
}

export interface ModuleStore {
  publish(name: string, bytes: Uint8Array, opts?: PublishOptions): Promise<string>;
  load(id: string): Promise<LoadedModule>;
}

export function moduleTags(name: string, opts: PublishOptions = {}): Tag[] {
  return [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: 'Module' },
    { name: 'Module-Format', value: opts.format ?? 'wasm32-unknown-emscripten4' },
    { name: 'Input-Encoding', value: 'JSON-1' },
    { name: 'Output-Encoding', value: 'JSON-1' },
    { name: 'Memory-Limit', value: opts.memoryLimit ?? '16-mb' },
    { name: 'Compute-Limit', value: opts.computeLimit ?? '9000000000000' },
    { name: 'Name', value: name },
    { name: 'Content-Type', value: 'application/wasm' },
    ...(opts.extraTags ?? []),
  ];
}

export function createModuleStore(deps: { arweave: ArweaveClient; known?: Map<string, Uint8Array> }): ModuleStore {
  const cache = new Map<string, Promise<LoadedModule>>();

  async function fetchModule(id: string): Promise<LoadedModule> {
    const found = await deps.arweave.query({ ids: [id], tags: [] });
    const tags = found.items[0]?.tags;
    if (!tags) throw new InputError(`module ${id} was not found on Arweave`, { hint: 'publish the module first (publishModule)' });
    if (tagValue(tags, 'Type') !== 'Module') throw new InputError(`transaction ${id} is not an AO module (Type=Module missing)`);
    const format = tagValue(tags, 'Module-Format');
    if (!format) throw new InputError(`module ${id} has no Module-Format tag`);
    const bytes = deps.known?.get(id) ?? (await deps.arweave.getData(id));
    return { id, bytes, tags, format, hash: sha256Hex(bytes) };
  }

  return {
    async publish(name, bytes, opts) {
      const id = await deps.arweave.post(bytes, moduleTags(name, opts));
      await deps.arweave.mine();
      return id;
    },
    load(id) {
      let entry = cache.get(id);
      if (!entry) {
        entry = fetchModule(id);
        cache.set(id, entry);
        // A failed lookup must not stick: the module may be published later.
        entry.catch(() => cache.delete(id));
      }
      return entry;
    },
  };
}
