/**
 * Memory records: what is encrypted into each Arweave item. Versioned: `decodeRecord` reads
 * every version ever written and upgrades it to the current shape.
 */
import { z } from 'zod';

const turnV1 = z.object({
  v: z.literal(1),
  kind: z.literal('turn'),
  turnId: z.string(),
  userText: z.string(),
  reply: z.string(),
  understanding: z.unknown().optional(),
  sentiment: z.unknown().optional(),
  ao: z.record(z.string(), z.string()).optional(),
  at: z.string(),
});
const factV1 = z.object({ v: z.literal(1), kind: z.literal('fact'), factKind: z.string(), text: z.string(), sourceTurnId: z.string(), at: z.string() });
const forgetV1 = z.object({ v: z.literal(1), kind: z.literal('forget'), at: z.string() });
/** A new conversation starts here (/reset): later recent context and history begin after it; memory stays. */
const resetV1 = z.object({ v: z.literal(1), kind: z.literal('reset'), at: z.string() });

export const recordSchema = z.discriminatedUnion('kind', [turnV1, factV1, forgetV1, resetV1]);
export type MemoryRecord = z.infer<typeof recordSchema>;
export type TurnRecord = z.infer<typeof turnV1>;
export type FactRecord = z.infer<typeof factV1>;

export const CURRENT_VERSION = 1;

export function encodeRecord(record: MemoryRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(recordSchema.parse(record)));
}

/** Parses any known version; later versions add a case here and upgrade older shapes. */
export function decodeRecord(bytes: Uint8Array): MemoryRecord {
  const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
  const version = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  switch (version) {
    case 1:
      return recordSchema.parse(value);
    default:
      throw new Error(`unknown memory record version ${String(version)}`);
  }
}
