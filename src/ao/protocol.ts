/**
 * The messages of the three processes, one schema each (zod), shared by the service and tests.
 * Every Action each process accepts and emits is documented in docs/ao-processes.md.
 */
import { z } from 'zod';
import type { Tag } from '../arweave/tag.js';

/** A message in a process's outbox (`Messages`, `Spawns`), as a CU serves it and ao-loader returns it. */
export interface OutboxMessage {
  Target?: string;
  Anchor?: string;
  Tags?: Tag[];
  Data?: unknown;
}

// A process writes its outbox as JSON of its own making: tag values that are numbers or
// booleans are what a sender meant as text, so they are read as such.
const outboxTagSchema = z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).transform(String) });
const outboxMessageSchema = z
  .object({ Target: z.string().optional(), Anchor: z.string().optional(), Tags: z.array(outboxTagSchema).optional(), Data: z.unknown().optional() })
  .passthrough();
const outboxSchema = z.array(outboxMessageSchema);

/**
 * A module's `Messages` or `Spawns` as it returned them (absent: none). Throws, naming the
 * entry, when one is not a message: the node would otherwise sign and deliver garbage.
 */
export function outboxMessagesOf(value: unknown, what: string): OutboxMessage[] {
  if (value === undefined || value === null) return [];
  const parsed = outboxSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${what}${issue ? `[${issue.path.join('.')}]: ${issue.message}` : ' is not a list of messages'}`);
}

export const sentimentSchema = z.object({
  compound: z.number().min(-1).max(1),
  label: z.enum(['positive', 'neutral', 'negative']),
  polarity: z.object({ pos: z.number(), neg: z.number(), neu: z.number() }),
  emotion: z.enum(['joy', 'sadness', 'anger', 'fear', 'surprise', 'neutral']),
  version: z.literal(1),
});
export type SentimentAnalysis = z.infer<typeof sentimentSchema>;

export const intents = ['greeting', 'farewell', 'question', 'request', 'thanks', 'complaint', 'smalltalk', 'command', 'share-information'] as const;
export const understandingSchema = z.object({
  intent: z.enum(intents),
  isQuestion: z.boolean(),
  language: z.string(),
  entities: z.array(z.object({ type: z.enum(['person', 'place', 'date', 'time', 'number', 'email', 'url']), text: z.string() })),
  topics: z.array(z.string()),
  facts: z.array(z.object({ kind: z.string(), text: z.string() })),
  version: z.literal(1),
});
export type UnderstandingAnalysis = z.infer<typeof understandingSchema>;

export const planSchema = z.object({
  tone: z.enum(['warm', 'cheerful', 'calm', 'empathetic', 'apologetic', 'neutral']),
  length: z.enum(['short', 'medium', 'long']),
  acknowledge: z.array(z.string()),
});

export const inferenceRequestSchema = z.object({
  turnId: z.string(),
  understanding: understandingSchema,
  sentiment: sentimentSchema,
  plan: planSchema,
});

/** What the worker posts back: hashes only, never the reply text. */
export const inferenceResultSchema = z.object({
  turnId: z.string(),
  replyHash: z.string().regex(/^[0-9a-f]{64}$/),
  promptHash: z.string().regex(/^[0-9a-f]{64}$/),
  tokens: z.number().int().nonnegative(),
});

export const replySchema = z.object({
  turnId: z.string(),
  replyHash: z.string(),
  tokens: z.number(),
  status: z.literal('complete'),
});
