/**
 * The JSON the legacy AO scheduler unit (permaweb/ao servers/su) serves, built from this node's
 * log: what a stock compute unit reads to evaluate a process by itself. A scheduled message is
 * `{ message, assignment }`, each an item with its owner's address and key; a page of them is
 * `{ page_info: { has_next_page }, edges: [{ node, cursor }] }`, the cursor being the timestamp.
 */
import { type Tag } from '../../arweave/tag.js';
import { InputError } from '../../errors.js';
import { readRawItem, type ParsedItem } from './data-item.js';
import { paddedHeight } from './assignment.js';
import type { LogEntry } from './types.js';

export interface SuItem {
  id: string;
  owner: { address: string; key: string };
  tags: Tag[];
  signature: string;
  anchor: string | null;
  target: string | null;
  data?: string | null;
}

export interface SuMessage {
  message: SuItem | null;
  assignment: SuItem;
}

export interface SuProcess {
  process_id: string;
  block: string;
  owner: { address: string; key: string };
  tags: Tag[];
  timestamp: number;
  data: string | null;
  anchor: string | null;
  signature: string | null;
}

export interface SuPage {
  page_info: { has_next_page: boolean };
  edges: Array<{ node: SuMessage; cursor: string }>;
}

export interface SuPageQuery {
  /** Timestamps (ms): entries after `from`, up to and including `to`. */
  from?: number;
  to?: number;
  limit: number;
}

/** A process scheduled before this node kept assignments cannot be served to a compute unit. */
export class NoAssignmentError extends InputError {}

const decodeItem = (base64: string) => readRawItem(Buffer.from(base64, 'base64'));

/** Item data as the SU serves it: UTF-8, invalid bytes replaced (as Rust's from_utf8_lossy). */
const text = (item: ParsedItem) => new TextDecoder().decode(item.data);

function itemJson(item: ParsedItem, withData: boolean): SuItem {
  return {
    id: item.id,
    owner: { address: item.owner, key: item.ownerKey },
    ...(withData ? { data: text(item) } : {}),
    tags: item.tags,
    signature: item.signature,
    anchor: item.anchor || null,
    target: item.target || null,
  };
}

/** A logged entry with its assignment item (rebuilt from the signature the log keeps). */
export interface Scheduled {
  entry: LogEntry;
  assignment: ParsedItem | undefined;
}

export function messageJson({ entry, assignment }: Scheduled): SuMessage {
  if (!assignment) {
    throw new NoAssignmentError(`slot ${entry.slot} of process ${entry.process} was scheduled before this node signed assignments`, {
      hint: 'a compute unit cannot verify this schedule; spawn a new process to serve it over the SU routes',
    });
  }
  return { message: itemJson(decodeItem(entry.item), true), assignment: itemJson(assignment, false) };
}

export function processJson(spawn: LogEntry): SuProcess {
  const item = decodeItem(spawn.item);
  return {
    process_id: item.id,
    block: paddedHeight(spawn.blockHeight),
    owner: { address: item.owner, key: item.ownerKey },
    tags: item.tags,
    timestamp: spawn.timestamp,
    data: text(item),
    anchor: item.anchor || null,
    signature: item.signature,
  };
}

/** The entries of one page (in slot order, the spawn first), as the SU pages by timestamp; and whether more follow. */
export function pageOf(entries: LogEntry[], query: SuPageQuery): { page: LogEntry[]; more: boolean } {
  const chosen = entries.filter((entry) => (query.from === undefined || entry.timestamp > query.from) && (query.to === undefined || entry.timestamp <= query.to));
  const page = chosen.slice(0, query.limit);
  return { page, more: chosen.length > page.length };
}

export function pageJson(page: Scheduled[], more: boolean): SuPage {
  return {
    page_info: { has_next_page: more },
    edges: page.map((scheduled) => ({ node: messageJson(scheduled), cursor: String(scheduled.entry.timestamp) })),
  };
}
