/**
 * The legacy SU HTTP routes, under /su on the node's port (the Scheduler-Location record names
 * that URL). Paths and shapes follow permaweb/ao servers/su, so a stock compute unit can read a
 * process's schedule here and evaluate it by itself:
 *   GET /                          { timestamp, address }
 *   GET /timestamp                 { timestamp, block_height }
 *   GET /processes/{id}            the spawn
 *   GET /{processId}?from&to&limit a page of the schedule (the spawn first)
 *   GET /{messageId}?process-id    one scheduled message with its assignment
 *   GET /{processId}/latest        the last scheduled message
 */
import { InputError } from '../../errors.js';
import { NotFoundError, type AoNode } from './ao-node.js';
import { paddedHeight } from './assignment.js';
import { messageJson, pageJson, pageOf, processJson, type Scheduled, type SuPageQuery } from './su-json.js';
import type { LogEntry } from './types.js';

const MAX_PAGE = 1000;

function integer(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null || value === '') return undefined;
  if (!/^\d{1,16}$/.test(value)) throw new InputError(`${name} must be a whole number (a timestamp in ms, or a page size)`);
  return Number(value);
}

function pageQuery(params: URLSearchParams): SuPageQuery {
  const from = integer(params, 'from');
  const to = integer(params, 'to');
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), limit: Math.min(integer(params, 'limit') ?? 100, MAX_PAGE) };
}

const withAssignment = async (node: AoNode, entry: LogEntry): Promise<Scheduled> => ({ entry, assignment: await node.assignmentOf(entry) });

/** The body for GET /su/<parts>, or undefined when no SU route matches. */
export async function suRoute(node: AoNode, parts: string[], params: URLSearchParams): Promise<unknown> {
  const [first, second] = parts;
  if (first === undefined) return { timestamp: String(Date.now()), address: node.address };
  if (first === 'timestamp' && parts.length === 1) return { timestamp: String(Date.now()), block_height: paddedHeight(await node.blockHeight()) };
  if (first === 'processes' && second && parts.length === 2) {
    const [spawn] = await node.scheduled(second);
    if (!spawn) throw new NotFoundError(`process ${second} has no scheduled spawn`);
    return processJson(spawn);
  }
  if (second === 'latest' && parts.length === 2) {
    const entries = await node.scheduled(first);
    const last = entries[entries.length - 1];
    if (!last) throw new NotFoundError(`process ${first} has nothing scheduled`);
    return messageJson(await withAssignment(node, last));
  }
  if (parts.length !== 1) return undefined;
  if (node.hasProcess(first)) {
    const { page, more } = pageOf(await node.scheduled(first), pageQuery(params));
    return pageJson(await Promise.all(page.map((entry) => withAssignment(node, entry))), more);
  }
  const pid = params.get('process-id');
  if (!pid) throw new NotFoundError(`${first} is not a process on this node; to read a message, add ?process-id=<its process>`);
  const slot = node.slotOf(pid, first);
  const entry = slot === undefined ? undefined : (await node.scheduled(pid))[slot];
  if (!entry) throw new NotFoundError(`message ${first} is not scheduled on process ${pid}`);
  return messageJson(await withAssignment(node, entry));
}
