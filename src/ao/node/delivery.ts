/**
 * Turning a process's outbox into new signed items, as the AO messenger unit does: each
 * Message with a Target and each Spawn becomes a data item signed by the node, with
 * From-Process (the sender) and Pushed-For (the message that started the chain).
 */
import { tagValue, type Tag } from '../../arweave/tag.js';
import { type ItemSigner, type ParsedItem } from './data-item.js';
import type { OutboxMessage } from '../protocol.js';

/** Tags the node sets itself; a process cannot forge them through its outbox. */
const RESERVED = new Set(['data-protocol', 'variant', 'type', 'from-process', 'pushed-for']);

export interface Push {
  /** `<sender pid>:<source msg id>:<kind><index>`: the same outbox entry always has the same key. */
  key: string;
  kind: 'message' | 'spawn';
  target: string | undefined;
  entry: OutboxMessage;
}

export function pushesOf(input: { pid: string; messageId: string; messages: OutboxMessage[]; spawns: OutboxMessage[] }): Push[] {
  const out: Push[] = [];
  input.messages.forEach((entry, index) => {
    if (typeof entry.Target === 'string' && entry.Target) out.push({ key: `${input.pid}:${input.messageId}:m${index}`, kind: 'message', target: entry.Target, entry });
  });
  input.spawns.forEach((entry, index) => {
    out.push({ key: `${input.pid}:${input.messageId}:s${index}`, kind: 'spawn', target: undefined, entry });
  });
  return out;
}

function dataOf(entry: OutboxMessage): string {
  if (entry.Data === undefined || entry.Data === null || entry.Data === '') return ' ';
  return typeof entry.Data === 'string' ? entry.Data : JSON.stringify(entry.Data);
}

function cleanTags(entry: OutboxMessage): Tag[] {
  return (entry.Tags ?? []).filter((tag) => typeof tag?.name === 'string' && !RESERVED.has(tag.name.toLowerCase())).map((tag) => ({ name: tag.name, value: String(tag.value) }));
}

export async function signPush(input: { push: Push; pid: string; source: ParsedItem; signer: ItemSigner; scheduler: string }): Promise<ParsedItem> {
  const { push, pid, source } = input;
  const pushedFor = tagValue(source.tags, 'Pushed-For') ?? source.id;
  const common: Tag[] = [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
  ];
  const anchor = typeof push.entry.Anchor === 'string' && push.entry.Anchor.length === 32 ? push.entry.Anchor : undefined;
  if (push.kind === 'message') {
    return input.signer.sign({
      data: dataOf(push.entry),
      target: push.target,
      anchor,
      tags: [...common, { name: 'Type', value: 'Message' }, ...cleanTags(push.entry), { name: 'From-Process', value: pid }, { name: 'Pushed-For', value: pushedFor }],
    });
  }
  const tags = cleanTags(push.entry).filter((tag) => tag.name !== 'Scheduler');
  return input.signer.sign({
    data: dataOf(push.entry),
    anchor,
    tags: [...common, { name: 'Type', value: 'Process' }, { name: 'Scheduler', value: input.scheduler }, ...tags, { name: 'From-Process', value: pid }, { name: 'Pushed-For', value: pushedFor }],
  });
}
