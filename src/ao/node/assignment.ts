/**
 * The SU's side of scheduling, as the permaweb/ao scheduler unit does it: each scheduled message
 * gets an Assignment, a data item signed by the scheduler that names the process, the message and
 * its place (Epoch, Nonce, Timestamp, Block-Height, Hash-Chain). The hash chain links each
 * assignment to the one before it, so a compute unit can tell that nothing was dropped or
 * reordered between two pages of a schedule:
 *   slot 0 (the process itself): sha256(process id bytes)
 *   slot n: sha256(assignment id of slot n-1 ‖ hash chain of slot n-1)
 * Ids and chains are base64url of 32 bytes; the bytes are hashed, not the text.
 */
import { createHash } from 'node:crypto';
import type { ItemInput, ItemSigner, ParsedItem } from './data-item.js';

const bytesOf = (id: string) => {
  const bytes = Buffer.from(id, 'base64url');
  // The scheduler refuses anything that is not a 32-byte id: a chain over other bytes would not verify anywhere else.
  if (bytes.length !== 32) throw new Error(`not a 32-byte id: ${id}`);
  return bytes;
};

/** The hash chain of the process's own assignment (slot 0). */
export function firstHashChain(processId: string): string {
  return createHash('sha256').update(bytesOf(processId)).digest('base64url');
}

/**
 * The hash chain of the next assignment, from the previous one's id and chain. A previous slot
 * without an assignment (a log written before this node kept them) chains from its hash alone,
 * as the compute unit's check does when it has no previous assignment id.
 */
export function nextHashChain(previous: { assignmentId: string; hashChain: string }): string {
  const hash = createHash('sha256');
  if (previous.assignmentId) hash.update(bytesOf(previous.assignmentId));
  return hash.update(bytesOf(previous.hashChain)).digest('base64url');
}

/** Block heights travel left-padded to 12 digits, as the SU writes them. */
export const paddedHeight = (height: number) => String(height).padStart(12, '0');

export interface AssignmentInput {
  processId: string;
  messageId: string;
  slot: number;
  timestamp: number;
  blockHeight: number;
  hashChain: string;
}

/** An assignment's id: the sha256 of its signature, as for every ANS-104 item. */
export const assignmentIdOf = (signature: string) => createHash('sha256').update(Buffer.from(signature, 'base64url')).digest('base64url');

export function signAssignment(signer: ItemSigner, input: AssignmentInput): Promise<ParsedItem> {
  return signer.sign(assignmentFields(input));
}

/**
 * The assignment item back from its signature: every other field follows from the log entry,
 * so the log keeps 512 bytes of signature instead of a 1.4 kB item per message.
 */
export function rebuildAssignment(signer: ItemSigner, input: AssignmentInput, signature: string): Promise<ParsedItem> {
  return signer.rebuild(assignmentFields(input), signature);
}

function assignmentFields(input: AssignmentInput): ItemInput {
  return {
    // The SU's assignments carry no data; a single space keeps the item valid for every parser.
    data: ' ',
    target: input.processId,
    tags: [
      { name: 'Process', value: input.processId },
      { name: 'Epoch', value: '0' },
      { name: 'Nonce', value: String(input.slot) },
      { name: 'Hash-Chain', value: input.hashChain },
      { name: 'Block-Height', value: paddedHeight(input.blockHeight) },
      { name: 'Timestamp', value: String(input.timestamp) },
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'Type', value: 'Assignment' },
      { name: 'Variant', value: 'ao.TN.1' },
      { name: 'Message', value: input.messageId },
    ],
  };
}
