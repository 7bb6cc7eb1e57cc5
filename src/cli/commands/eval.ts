/**
 * `permachat eval [--json] [--markdown]`: our analysis modules next to `sentiment`, `vader-sentiment` and a keyword baseline.
 * `permachat eval --dataset <file.tsv>... [--json] [--markdown]`: our Sentiment, AFINN and VADER on label<TAB>text files.
 * `permachat eval memory --dataset <file.json>... [--json] [--markdown]`: memory recall on LoCoMo-format conversations.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadModuleBytes } from '../../ao/modules.js';
import { loadOrCreateWallet } from '../../arweave/wallet.js';
import { dataPaths } from '../../config/paths.js';
import { InputError } from '../../errors.js';
import { createAoAnalyzer } from '../../tools/eval/ao-analyzer.js';
import { evalSummary, formatEvalMarkdown, formatEvalTable, formatLabelledTable, labelledSummary, runEval, runLabelledSets } from '../../tools/eval/index.js';
import { loadConversations } from '../../tools/eval/memory/dataset.js';
import { formatMemoryEvalMarkdown, formatMemoryEvalTable } from '../../tools/eval/memory/format.js';
import { runMemoryEval } from '../../tools/eval/memory/run-memory-eval.js';
import { configuredWordVectors } from '../../memory/word-vectors-source.js';
import { parseFlags } from '../args.js';
import { configFromIo, loggerFor } from '../context.js';
import { print, type CliIo, type Command } from '../io.js';

const MEMORY_USAGE = 'permachat eval memory --dataset <file.json>... [--json] [--markdown]';
const SENTIMENT_USAGE = 'permachat eval [--json] [--markdown] | permachat eval --dataset <label-TAB-text.tsv>... [--json]';

async function evalLabelled(files: string[], values: { json?: boolean }, io: CliIo): Promise<number> {
  const sets = await runLabelledSets({ loadModule: loadModuleBytes }, files.map((file) => ({ file: path.resolve(io.cwd, file) })));
  print(io.stdout, values.json ? JSON.stringify(labelledSummary(sets)) : formatLabelledTable(sets));
  return 0;
}

async function evalMemory(files: string[], values: { json?: boolean; markdown?: boolean }, io: CliIo): Promise<number> {
  if (files.length === 0) throw new InputError('no dataset given', { hint: `usage: ${MEMORY_USAGE}` });
  const conversations = await loadConversations(files.map((file) => path.resolve(io.cwd, file)));
  const config = configFromIo(io);
  // A scratch folder of its own inside DATA_DIR, removed when done: the eval never touches real memory.
  const scratchDir = dataPaths(config.dataDir).evalScratch(process.pid);
  const understanding = await createAoAnalyzer(await loadModuleBytes('understanding'));
  const result = await runMemoryEval({
    conversations,
    scratchDir: path.join(scratchDir, 'data'),
    wallet: await loadOrCreateWallet(path.join(scratchDir, 'wallet.json')),
    logger: loggerFor(config, io),
    understand: (text) => understanding.analyze(text),
    // The vector cache lives in the real DATA_DIR (not the scratch folder): built once, reused.
    wordVectors: configuredWordVectors(config, loggerFor(config, io)),
    progress: (line) => io.stderr.write(`eval memory: ${line}\n`),
  }).finally(() => rm(scratchDir, { recursive: true, force: true }));
  if (values.json) print(io.stdout, JSON.stringify(result));
  else print(io.stdout, values.markdown ? formatMemoryEvalMarkdown(result) : formatMemoryEvalTable(result));
  return 0;
}

export const evalCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(
    args,
    { json: { type: 'boolean' }, markdown: { type: 'boolean' }, dataset: { type: 'string', multiple: true } },
    `${SENTIMENT_USAGE} | ${MEMORY_USAGE}`,
  );
  const [what, ...rest] = positionals;
  // `--dataset a.json b.json` and `--dataset a.json --dataset b.json` both name two files.
  if (what === 'memory') return evalMemory([...(values.dataset ?? []), ...rest], values, io);
  if (values.dataset) return evalLabelled([...values.dataset, ...positionals], values, io);
  if (what !== undefined) throw new InputError(`unknown eval "${what}"`, { hint: `usage: ${SENTIMENT_USAGE} | ${MEMORY_USAGE}` });
  const result = await runEval({ loadModule: loadModuleBytes });
  if (values.json) print(io.stdout, JSON.stringify(evalSummary(result)));
  else print(io.stdout, values.markdown ? formatEvalMarkdown(result) : formatEvalTable(result));
  return 0;
};
