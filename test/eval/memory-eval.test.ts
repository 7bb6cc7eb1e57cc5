// `permachat eval memory` on the small LoCoMo-format set in test/fixtures/memory-eval (our own
// text): the reader of both shapes, the scores, and the command as an operator runs it.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceIds, loadConversations, parseConversations, parseSessionTime } from '../../src/tools/eval/memory/dataset.js';
import { scoreQuestion } from '../../src/tools/eval/memory/metrics.js';
import { runCli } from '../support/run-cli.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'memory-eval');
const ines = path.join(fixtures, 'ines.json');
const tom = path.join(fixtures, 'tom-list.json');

describe('memory eval dataset', () => {
  it('reads a single conversation and the published list alike', async () => {
    const [first, second] = await loadConversations([ines, tom]);
    expect(first).toMatchObject({ id: 'ines', user: 'Ines', bot: 'Eliza' });
    expect(second).toMatchObject({ id: 'tom', user: 'Tom', bot: 'Mara' });
    // A turn is a user message and the reply after it; a session the bot opens starts with a reply alone.
    expect(first?.turns[0]).toMatchObject({ diaIds: ['D1:1', 'D1:2'], at: '2024-03-03T10:05:00.000Z' });
    expect(first?.turns[4]).toMatchObject({ diaIds: ['D2:1'], userText: '', reply: 'Good evening, Ines! How was your week?' });
    expect(first?.turns[5]?.diaIds).toEqual(['D2:2', 'D2:3']);
    // Turns of a session keep their order by time.
    expect(first?.turns.map((t) => t.at)).toEqual([...(first?.turns.map((t) => t.at) ?? [])].sort());
    expect(first?.questions.filter((q) => q.category === 1).map((q) => q.evidence)).toEqual([['D2:6', 'D3:5'], ['D2:4', 'D3:7']]);
    // A session that ends on the user's message leaves a turn without a reply.
    expect(second?.turns[2]).toMatchObject({ diaIds: ['D1:5'], reply: '' });
  });

  it('tidies LoCoMo\'s untidy evidence and reads its session times', () => {
    expect(evidenceIds(['D8:6; D9:17', 'D:11:26', 'D', 'D30:05'])).toEqual(['D8:6', 'D9:17', 'D11:26', 'D30:5']);
    expect(parseSessionTime('1:56 pm on 8 May, 2023')?.toISOString()).toBe('2023-05-08T13:56:00.000Z');
    expect(parseSessionTime('12:09 am on 13 September, 2023')?.toISOString()).toBe('2023-09-13T00:09:00.000Z');
    expect(parseSessionTime('yesterday')).toBeUndefined();
    expect(() => parseConversations({ hello: 1 }, 'x.json')).toThrow(/neither a LoCoMo conversation/);
  });

  it('describes a shared photo the way LoCoMo\'s baselines do', () => {
    const [conversation] = parseConversations(
      { speaker_a: 'A', speaker_b: 'B', session_1_date_time: '9:00 am on 1 May, 2023', session_1: [{ speaker: 'A', dia_id: 'D1:1', text: 'Look!', blip_caption: 'a photo of a red boat' }], qa: [] },
      'photo.json',
    );
    expect(conversation?.turns[0]?.userText).toBe('Look! [shares a photo of a red boat]');
  });
});

describe('memory eval scores', () => {
  it('counts evidence in turns, in the ranking and word for word in the prompt', () => {
    const evidence = new Map([['t1', ['the blue bowl']], ['t2', ['Tiago walks him', 'on Thursdays']]]);
    const score = scoreQuestion({ category: 1, ranked: ['t9', 't2', 't1'], evidence, prompt: 'On … Tiago walks him on Thursdays', relevantChars: 10 });
    expect(score.recallAt).toEqual({ 1: 0, 3: 1, 5: 1, 10: 1 });
    expect(score.promptCoverage).toBe(0.5);
    expect(score.allEvidenceInPrompt).toBe(false);
  });
});

describe('permachat eval memory', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir('eval-memory');
  });
  afterAll(async () => tmp?.remove());

  it('writes every turn through memory, asks every question, and reports per category (--json)', async () => {
    const run = await runCli(['eval', 'memory', '--dataset', ines, tom, '--json'], { env: { DATA_DIR: tmp.dir }, cwd: repoRoot });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { overall: Record<string, number>; byCategory: Record<string, Record<string, number>> };
    expect(Object.keys(result.overall).sort()).toEqual(['allEvidenceInPrompt', 'promptCoverage', 'questions', 'recallAt1', 'recallAt10', 'recallAt3', 'recallAt5']);
    // The adversarial question (category 5) has no evidence and is not asked.
    expect(result.overall.questions).toBe(17);
    expect(Object.keys(result.byCategory)).toEqual(['1', '2', '3', '4']);
    expect(result.byCategory['1']?.questions).toBe(3);
    const o = result.overall as Record<'recallAt1' | 'recallAt3' | 'recallAt5' | 'recallAt10' | 'promptCoverage' | 'allEvidenceInPrompt', number>;
    expect(o.recallAt1).toBeLessThanOrEqual(o.recallAt3);
    expect(o.recallAt5).toBeLessThanOrEqual(o.recallAt10);
    // Conversations this short fit in the prompt almost whole: the answers are found.
    expect(o.recallAt10).toBeGreaterThanOrEqual(0.9);
    expect(o.promptCoverage).toBeGreaterThanOrEqual(0.9);
    expect(o.allEvidenceInPrompt).toBeLessThanOrEqual(o.promptCoverage);
    // The scratch memory is gone from DATA_DIR (the word vectors' cache, with MEMORY_EMBEDDINGS=on, stays for the next run).
    expect((await readdir(tmp.dir)).filter((name) => name !== 'word-vectors')).toEqual([]);
  });

  it('prints a Markdown table, and says what it needs when given nothing', async () => {
    const run = await runCli(['eval', 'memory', '--dataset', ines, '--markdown'], { env: { DATA_DIR: tmp.dir }, cwd: repoRoot });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('| questions | n | recall@1 | recall@3 | recall@5 | recall@10 | promptCoverage | allEvidenceInPrompt |');
    expect(run.stdout).toMatch(/\| overall \| 11 \|/);
    expect(run.stdout).toMatch(/Recalled part of the prompt: \d+ characters on average/);
    const none = await runCli(['eval', 'memory'], { env: { DATA_DIR: tmp.dir }, cwd: repoRoot });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('--dataset');
    const bad = await runCli(['eval', 'memory', '--dataset', path.join(fixtures, 'README.md')], { env: { DATA_DIR: tmp.dir }, cwd: repoRoot });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cannot read');
  });
});
