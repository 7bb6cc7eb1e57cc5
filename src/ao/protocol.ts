/**
 * The messages of the three processes, one schema each (zod), shared by the service and tests.
 * Every Action each process accepts and emits is documented in docs/ao-processes.md.
 */
import { z } from 'zod';

export const tagSchema = z.object({ name: z.string(), value: z.string() });
export type Tag = z.infer<typeof tagSchema>;
export const getTag = (tags: readonly Tag[] | undefined, name: string) => tags?.find((t) => t.name === name)?.value;

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
