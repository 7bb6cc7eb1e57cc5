// Who a message is from, as the real AO network lets a process know it. The stock compute unit
// sets From to any From-Process tag, whoever signed the item, so From alone proves nothing.
// A process believes From when the signer is the sender itself (From == Owner), or when the
// signer is one of its Authority tags: the messenger unit that pushes messages between
// processes (processes are spawned with Authority = that MU's address).
import { J_ARR, Json, tagOf } from './json';

/** A tag of the process itself (from env), or ''. */
export function processTag(env: Json, name: string): string {
  const process = env.get('Process');
  return process == null ? '' : tagOf(process, name);
}

function isAuthority(owner: string, env: Json): bool {
  const process = env.get('Process');
  if (process == null) return false;
  const tags = process.get('Tags');
  if (tags == null || tags.kind != J_ARR) return false;
  for (let i = 0; i < tags.items.length; i++) {
    const tag = tags.items[i];
    if (tag.getString('name') != 'Authority') continue;
    // aos also accepts a comma-separated list in one tag.
    const values = tag.getString('value').split(',');
    for (let j = 0; j < values.length; j++) if (values[j].trim() == owner) return true;
  }
  return false;
}

/** The message's From when it can be believed, else ''. */
export function trustedFrom(msg: Json, env: Json): string {
  const from = msg.getString('From');
  const owner = msg.getString('Owner');
  if (from.length == 0 || owner.length == 0) return '';
  return from == owner || isAuthority(owner, env) ? from : '';
}
