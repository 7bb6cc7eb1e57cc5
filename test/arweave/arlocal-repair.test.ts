// A service killed while arlocal (in-process) writes a transaction leaves a row with fewer tag
// rows than tags. The next start removes it, so the writer's retry posts it whole.
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArlocal } from '../../src/arweave/arlocal.js';
import { createArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { makeTmpDir } from '../support/tmp-dir.js';

interface Knex {
  raw(sql: string, bindings?: string[]): Promise<unknown>;
  destroy(): Promise<void>;
}
// arlocal's own database driver, to break its database the way a kill -9 does.
const openDb = createRequire(import.meta.url)('knex') as (config: object) => Knex;

const heightOf = async (url: string) => ((await (await fetch(`${url}/info`)).json()) as { height: number }).height;

describe('embedded Arweave after a crash mid-write', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('arlocal-repair');
  });
  afterAll(async () => tmp?.remove());

  it('removes a transaction whose tags were not all written, takes its re-post whole, and resumes the chain at its tip', async () => {
    const dataDir = path.join(tmp.dir, 'arweave');
    const wallet = await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json'));
    const tags = [{ name: 'Repair-Test', value: 'yes' }, { name: 'Seq', value: '1' }];
    const first = await startArlocal({ dataDir });
    const client = createArweaveClient({ url: first.url, wallet, local: true });
    const whole = await client.signItem(new TextEncoder().encode('whole'), tags);
    await client.postBundle([whole]);
    const broken = await client.signItem(new TextEncoder().encode('broken'), tags);
    await client.postBundle([broken]);
    // Other writers went on for a few blocks: the broken row is not in the newest heights.
    for (let i = 0; i < 3; i++) await client.postBundle([await client.signItem(new TextEncoder().encode(`later ${i}`), [{ name: 'Later', value: String(i) }])]);
    expect(first.repaired).toEqual([]);
    const before = await heightOf(first.url);
    await first.stop();

    const db = openDb({ client: 'sqlite3', connection: { filename: path.join(dataDir, 'db.sqlite') }, useNullAsDefault: true });
    await db.raw('DELETE FROM tags WHERE tx_id = ? AND name = ?', [broken.id, 'Seq']);
    await db.destroy();

    const second = await startArlocal({ dataDir });
    try {
      expect(second.repaired).toEqual([broken.id]);
      // The chain goes on from its highest block (plus the one mined at start), not an older one.
      expect(await heightOf(second.url)).toBe(before + 1);
      const again = createArweaveClient({ url: second.url, wallet, local: true });
      expect((await again.query({ tags: [], ids: [broken.id] })).items).toEqual([]);
      await again.postBundle([broken]);
      const found = await again.queryAll({ tags: [{ name: 'Repair-Test', values: ['yes'] }, { name: 'Seq', values: ['1'] }] });
      expect([...new Set(found.map((item) => item.id))].sort()).toEqual([whole.id, broken.id].sort());
      expect(new TextDecoder().decode(await again.getData(broken.id))).toBe('broken');
    } finally {
      await second.stop();
    }
  });

  it('stops only once its database is quiet, so a write in flight cannot land after the next start', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tmp.dir, 'race');
    const wallet = await loadOrCreateWallet(path.join(tmp.dir, 'wallet.json'));
    const gateway = await startArlocal({ dataDir });
    const client = createArweaveClient({ url: gateway.url, wallet, local: true });
    const tags = Array.from({ length: 6 }, (_, i) => ({ name: `Tag-${i}`, value: 'x' }));
    const items = await Promise.all(Array.from({ length: 150 }, (_, i) => client.signItem(new TextEncoder().encode(`item ${i}`), tags)));
    const posting = client.postBundle(items).catch(() => undefined);
    // Stop while arlocal is writing the bundle's items one statement at a time.
    const db = openDb({ client: 'sqlite3', connection: { filename: path.join(dataDir, 'db.sqlite') }, useNullAsDefault: true });
    const count = async () => JSON.stringify(await db.raw('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM tags) AS g'));
    const start = await count();
    for (let i = 0; i < 500 && (await count()) === start; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await gateway.stop();
    const atStop = await count();
    await posting;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await count()).toBe(atStop);
    await db.destroy();
  });
});
