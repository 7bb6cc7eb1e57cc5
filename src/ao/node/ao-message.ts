/**
 * The `msg` and `env` objects handed to a module, shaped as the stock AO compute unit builds
 * them: Owner is the signer's address; From is the From-Process tag when there is one, whoever
 * signed the item, else the owner. So, as on the public network, a module must not believe
 * From alone: it checks Owner against its Authority tags (the node's address) — see
 * ao-processes/lib/trust.ts. Evaluating as the stock CU does keeps this node from hiding a
 * hole that the real network would open.
 */
import { tagValue, type Tag } from '../../arweave/tag.js';
import { type ParsedItem } from './data-item.js';
import type { AoEnv, AoMessage } from './wasm-runner.js';
import type { LogEntry } from './types.js';

export interface ProcessInfo {
  id: string;
  owner: string;
  tags: Tag[];
  moduleId: string;
  moduleTags: Tag[];
}

export function buildEnv(process: ProcessInfo): AoEnv {
  return {
    Process: { Id: process.id, Owner: process.owner, Tags: process.tags },
    Module: { Id: process.moduleId, Tags: process.moduleTags },
  };
}

export function senderOf(item: ParsedItem): string {
  return tagValue(item.tags, 'From-Process') || item.owner;
}

export function buildMessage(input: { item: ParsedItem; entry: LogEntry; process: ProcessInfo }): AoMessage {
  const { item, entry, process } = input;
  const msg: AoMessage = {
    Id: item.id,
    Signature: item.signature,
    Owner: item.owner,
    From: senderOf(item),
    Target: item.target || process.id,
    Tags: item.tags,
    Data: new TextDecoder().decode(item.data),
    Module: process.moduleId,
    // Numbers, as the AO compute unit passes them (aos does arithmetic on msg.Timestamp).
    Epoch: 0,
    Nonce: entry.slot,
    Timestamp: entry.timestamp,
    'Block-Height': entry.blockHeight,
    'Hash-Chain': entry.hashChain,
    Cron: false,
    'Read-Only': false,
  };
  // As the SU serves them: no anchor is absent, not empty.
  if (item.anchor) msg.Anchor = item.anchor;
  // The CU's rule: a forwarded message (From-Process set) was forwarded by whoever signed it.
  if (tagValue(item.tags, 'From-Process')) msg['Forwarded-By'] = item.owner;
  return msg;
}

/** A dry-run message: the caller's JSON, evaluated as if it were the next message. */
export function buildDryRunMessage(input: {
  body: { Id: string; Owner: string; Target: string; Anchor?: string; Data?: unknown; Tags: Tag[] };
  process: ProcessInfo;
  timestamp: number;
  blockHeight: number;
}): AoMessage {
  const { body } = input;
  return {
    Id: body.Id,
    Owner: body.Owner,
    From: body.Owner,
    Target: body.Target,
    Anchor: body.Anchor ?? '0',
    Tags: body.Tags,
    Data: typeof body.Data === 'string' ? body.Data : JSON.stringify(body.Data ?? ''),
    Module: input.process.moduleId,
    Timestamp: input.timestamp,
    'Block-Height': input.blockHeight,
    Cron: false,
    'Read-Only': true,
  };
}
