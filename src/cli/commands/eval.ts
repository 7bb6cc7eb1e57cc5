/**
 * `permachat eval [--json] [--markdown]`: our analysis modules next to `sentiment`, `vader-sentiment` and a keyword baseline.
 * `permachat eval memory --dataset <file.json>... [--json] [--markdown]`: memory recall on LoCoMo-format conversations.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadModuleBytes } from '../../ao/modules.js';
import { loadOrCreateWallet } from '../../arweave/wallet.js';
import { InputError } from '../../errors.js';
import { createAoAnalyzer } from '../../eval/ao-analyzer.js';
import { evalSummary, formatEvalMarkdown, formatEvalTable, runEval } from '../../eval/index.js';
import { loadConversations } from '../../eval/memory/dataset.js';
import { formatMemoryEvalMarkdown, formatMemoryEvalTable } from '../../eval/memory/format.js';
import { runMemoryEval } from '../../eval/memory/run-memory-eval.js';
import { parseFlags } from '../args.js';
import { configFromIo, loggerFor } from '../context.js';
import { print, type CliIo, type Command } from '../io.js';

const MEMORY_USAGE = 'permachat eval memory --dataset <file.json>... [--json] [--markdown]';

async function evalMemory(files: string[], values: { json?: boolean; markdown?: boolean }, io: CliIo): Promise<number> {
  if (files.length === 0) throw new InputError('no dataset given', { hint: `usage: ${MEMORY_USAGE}` });
  const conversations = await loadConversations(files.map((file) => path.resolve(io.cwd, file)));
  const config = configFromIo(io);
  // A scratch folder of its own inside DATA_DIR, removed when done: the eval never touches real memory.
  const scratchDir = path.join(config.dataDir, `eval-memory-${process.pid}`);
  const understanding = await createAoAnalyzer(await loadModuleBytes('understanding'));
  const result = await runMemoryEval({
    conversations,
    scratchDir: path.join(scratchDir, 'data'),
    wallet: await loadOrCreateWallet(path.join(scratchDir, 'wallet.json')),
    logger: loggerFor(config, io),
    understand: (text) => understanding.analyze(text),
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
    `permachat eval [--json] [--markdown] | ${MEMORY_USAGE}`,
  );
  const [what, ...rest] = positionals;
  // `--dataset a.json b.json` and `--dataset a.json --dataset b.json` both name two files.
  if (what === 'memory') return evalMemory([...(values.dataset ?? []), ...rest], values, io);
  if (what !== undefined || values.dataset) throw new InputError(`unknown eval "${what ?? '--dataset'}"`, { hint: `usage: permachat eval [--json] [--markdown] | ${MEMORY_USAGE}` });
  const result = await runEval({ loadModule: loadModuleBytes });
  if (values.json) print(io.stdout, JSON.stringify(evalSummary(result)));
  else print(io.stdout, values.markdown ? formatEvalMarkdown(result) : formatEvalTable(result));
  return 0;
};
