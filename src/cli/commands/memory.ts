/**
 * `permachat memory export --user <channel:id>`: one user's memory, decrypted, as JSON.
 * `permachat memory rebuild --user <channel:id>`: the user's local cache read again from Arweave
 * (and the outbox), for a cache that a power loss or a disk cut short; says how many records
 * known here the gateway does not list yet (`notIndexed`: kept, not lost).
 * `permachat memory stats --user <channel:id>`: records, bytes, oldest and newest turn.
 */
import { compose } from '../../app/compose.js';
import { InputError } from '../../errors.js';
import { parseFlags } from '../args.js';
import { print, type Command } from '../io.js';
import { readUserKey } from '../../conversation/user-key.js';
import { configFromIo, loggerFor } from '../context.js';

const usage = 'permachat memory export|rebuild|stats --user <channel:id>   (e.g. cli:alice, telegram:12345, web:<session>)';

export const memoryCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(args, { user: { type: 'string' } }, usage);
  const action = positionals[0];
  if (action !== 'export' && action !== 'rebuild' && action !== 'stats') throw new InputError(`unknown memory action "${positionals[0] ?? ''}"`, { hint: `usage: ${usage}` });
  const user = values.user;
  if (!user || !readUserKey(user)) throw new InputError('--user must name a user as <channel>:<id>', { hint: `usage: ${usage}` });
  const config = configFromIo(io);
  const logger = loggerFor(config, io);
  const parts = compose(config, logger, { cwd: io.cwd });
  try {
    const memory = await parts.memory();
    const result = action === 'export' ? await memory.exportUser(user) : action === 'stats' ? await memory.userStats(user) : { user, ...(await memory.rebuild(user)) };
    print(io.stdout, JSON.stringify(result, null, 2));
    return 0;
  } finally {
    await parts.close();
  }
};
