import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, type DataPaths } from '../../src/config/paths.js';

const root = path.join(path.sep, 'srv', 'bötchen', 'données');

/** Every path a part owns, named by where it sits in the layout (the root and the AO node's own folder hold the others). */
function owned(paths: DataPaths): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') found.set(prefix, value);
    else if (typeof value === 'function') found.set(prefix, String((value as (pid: number) => string)(4242)));
    else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner);
  };
  walk('', paths);
  found.delete('root');
  found.delete('aoNode.dir');
  return found;
}

const inside = (outer: string, inner: string) => inner.startsWith(`${outer}${path.sep}`);

describe('DATA_DIR layout', () => {
  it('gives no two parts the same path, nor one part a path inside another part', () => {
    const parts = owned(dataPaths(root));
    const paths = [...parts.values()];
    expect(new Set(paths).size).toBe(paths.length);
    // Test models sit below the model cache on purpose: the service reads only the top of it.
    const allowed = new Set(['models > testModels']);
    const nested = [...parts].flatMap(([outerName, outer]) =>
      [...parts].filter(([, inner]) => inside(outer, inner)).map(([innerName]) => `${outerName} > ${innerName}`),
    );
    expect(nested.filter((pair) => !allowed.has(pair))).toEqual([]);
    expect(nested).toEqual([...allowed]);
  });

  it('keeps the names earlier versions wrote, so an existing DATA_DIR is found', () => {
    const relative = Object.fromEntries([...owned(dataPaths(root))].map(([name, file]) => [name, path.relative(root, file).split(path.sep).join('/')]));
    expect(relative).toEqual({
      memoryKey: 'memory.key',
      wallet: 'wallet.json',
      arweave: 'arweave',
      'memory.cache': 'memory/cache',
      'memory.outbox': 'memory/outbox',
      telegramInbox: 'telegram/inbox',
      'aoNode.wallet': 'ao/node-wallet.json',
      'aoNode.checkpoints': 'ao/checkpoints',
      'aoNode.journal': 'ao/ao-node/log.jsonl',
      'aoNode.receipts': 'ao/ao-node/uploaded.jsonl',
      aoDeployments: 'ao-processes.json',
      models: 'models',
      testModels: 'models/test',
      wordVectors: 'word-vectors',
      evalScratch: 'eval-memory-4242',
    });
  });

  it('puts everything inside DATA_DIR', () => {
    for (const [name, file] of owned(dataPaths(root))) expect(inside(root, file), name).toBe(true);
  });
});
