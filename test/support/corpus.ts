/** The realistic message corpus (test/fixtures/ao-corpus): what users send, not "hello". */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './tmp-dir.js';

export interface CorpusMessage {
  kind: string;
  text: string;
}

export function loadCorpus(): CorpusMessage[] {
  return JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'ao-corpus', 'messages.json'), 'utf8')) as CorpusMessage[];
}
