/** `permachat eval [--json] [--markdown]`: our analysis modules next to `sentiment`, `vader-sentiment` and a keyword baseline. */
import { loadModuleBytes } from '../../ao/modules.js';
import { evalSummary, formatEvalMarkdown, formatEvalTable, runEval } from '../../eval/index.js';
import { parseFlags } from '../args.js';
import { print, type Command } from '../io.js';

export const evalCommand: Command = async (args, io) => {
  const { values } = parseFlags(args, { json: { type: 'boolean' }, markdown: { type: 'boolean' } }, 'permachat eval [--json] [--markdown]');
  const result = await runEval({ loadModule: loadModuleBytes });
  if (values.json) print(io.stdout, JSON.stringify(evalSummary(result)));
  else print(io.stdout, values.markdown ? formatEvalMarkdown(result) : formatEvalTable(result));
  return 0;
};
