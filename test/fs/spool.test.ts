import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSpool } from '../../src/fs/spool.js';
import { makeTmpDir } from '../support/tmp-dir.js';

describe('a durable spool', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeEach(async () => {
    tmp = await makeTmpDir('spool');
  });
  afterEach(async () => tmp.remove());

  it('lists its own files in name order, and reads back what it wrote', async () => {
    const dir = path.join(tmp.dir, 'telegram', 'inbox');
    const spool = await openSpool(dir, '.msg');
    const message = new TextEncoder().encode('Привет, как дела? 🌊');
    await spool.write('000001764700000-b7.msg', message);
    await spool.write('000001764690000-a3.msg', new Uint8Array([0, 255]));
    // Not its files: a temporary file left by a crash, and another suffix.
    await writeFile(path.join(dir, '000001764710000-c1.msg.tmp'), 'torn');
    await writeFile(path.join(dir, 'notes.txt'), 'operator notes');
    expect(await spool.list()).toEqual(['000001764690000-a3.msg', '000001764700000-b7.msg']);
    expect(await spool.read('000001764700000-b7.msg')).toEqual(message);
  });

  it('removes a file, and a file gone already counts as removed', async () => {
    const spool = await openSpool(tmp.dir, '.item');
    await spool.write('00000000000000000007-Zq3x.item', new Uint8Array([1, 2, 3]));
    await spool.remove('00000000000000000007-Zq3x.item');
    await spool.remove('00000000000000000007-Zq3x.item');
    expect(await spool.list()).toEqual([]);
  });

  it('sets a file it cannot read aside in unreadable/, under its own name and out of the listing', async () => {
    const spool = await openSpool(tmp.dir, '.item');
    await spool.write('00000000000000000001-broken.item', new TextEncoder().encode('not a data item'));
    await spool.write('00000000000000000002-whole.item', new Uint8Array([7]));
    const aside = await spool.setAside('00000000000000000001-broken.item');
    expect(aside).toBe(path.join(tmp.dir, 'unreadable'));
    expect(await spool.list()).toEqual(['00000000000000000002-whole.item']);
    expect(await readdir(aside)).toEqual(['00000000000000000001-broken.item']);
    expect(await readFile(path.join(aside, '00000000000000000001-broken.item'), 'utf8')).toBe('not a data item');
    // A second spool over the same folder sets aside into the same place.
    await spool.write('00000000000000000003-torn.item', new Uint8Array([]));
    await (await openSpool(tmp.dir, '.item')).setAside('00000000000000000003-torn.item');
    expect((await readdir(aside)).sort()).toEqual(['00000000000000000001-broken.item', '00000000000000000003-torn.item']);
  });
});
