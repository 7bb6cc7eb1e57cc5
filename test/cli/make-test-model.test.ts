import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../src/tools/test-model/test-model.js';
import { makeTmpDir } from '../support/tmp-dir.js';
import { runCli } from '../support/run-cli.js';

describe('permachat make-test-model', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('make-model');
  });
  afterAll(async () => tmp?.remove());

  it('writes the tiny model by default, the same bytes every time', async () => {
    const run = await runCli(['make-test-model', 'tiny.gguf'], { cwd: tmp.dir });
    expect(run.code).toBe(0);
    const bytes = await readFile(path.join(tmp.dir, 'tiny.gguf'));
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(bytes.equals(buildTestModel('tiny'))).toBe(true);
  });

  it('writes the larger bench model with --size bench', async () => {
    const run = await runCli(['make-test-model', 'bench.gguf', '--size', 'bench'], { cwd: tmp.dir });
    expect(run.code).toBe(0);
    const bytes = await readFile(path.join(tmp.dir, 'bench.gguf'));
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(bytes.byteLength).toBeGreaterThan(50 * buildTestModel('tiny').byteLength);
    expect(bytes.includes(Buffer.from('permachat-bench-test'))).toBe(true);
  });

  it('refuses an unknown size and a missing path, saying what to do', async () => {
    const unknown = await runCli(['make-test-model', 'x.gguf', '--size', 'huge'], { cwd: tmp.dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown model size "huge"');
    expect(unknown.stderr).toContain('tiny, bench');
    const missing = await runCli(['make-test-model'], { cwd: tmp.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('usage: permachat make-test-model');
  });
});
