/**
 * Conversations with questions about them, in the LoCoMo format (Maharana et al., ACL 2024):
 * either one conversation object (`speaker_a`, `speaker_b`, `session_N`, `session_N_date_time`,
 * `qa`) or the published list of `{ sample_id, conversation: {...}, qa }`. speaker_a plays the
 * user and speaker_b the bot; one turn is a user message and the bot reply that follows it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../../errors.js';

export interface EvalTurn {
  /** The dialogue ids of the messages in this turn (the user's, then the bot's). */
  diaIds: string[];
  userText: string;
  reply: string;
  /** ISO time: the session's date-time, plus one second per turn to keep them in order. */
  at: string;
}

export interface EvalQuestion {
  question: string;
  /** Dialogue ids that hold the answer (only ids present in the conversation). */
  evidence: string[];
  category: number;
}

export interface EvalConversation {
  id: string;
  user: string;
  bot: string;
  turns: EvalTurn[];
  questions: EvalQuestion[];
  /** Text of each message by dialogue id: what "present in the prompt" looks for. */
  messages: Map<string, string>;
}

const message = z.object({
  speaker: z.string(),
  dia_id: z.string(),
  text: z.string(),
  blip_caption: z.string().optional(),
});
const question = z.object({
  question: z.string(),
  evidence: z.array(z.string()).default([]),
  category: z.number().int(),
});
const sessions = z.looseObject({ speaker_a: z.string(), speaker_b: z.string() });
const single = z.looseObject({ speaker_a: z.string(), speaker_b: z.string(), qa: z.array(z.unknown()) });
const published = z.array(z.looseObject({ sample_id: z.union([z.string(), z.number()]).optional(), conversation: sessions, qa: z.array(z.unknown()) }));

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "1:56 pm on 8 May, 2023" (LoCoMo's session times) as a UTC date; undefined when it is not one. */
export function parseSessionTime(text: string): Date | undefined {
  const match = /^\s*(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([a-z]+),?\s+(\d{4})\s*$/i.exec(text);
  if (!match) return undefined;
  const [, hour, minute, half, day, month, year] = match as unknown as [string, string, string, string, string, string, string];
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (monthIndex < 0) return undefined;
  const h = (Number(hour) % 12) + (half.toLowerCase() === 'pm' ? 12 : 0);
  return new Date(Date.UTC(Number(year), monthIndex, Number(day), h, Number(minute)));
}

/** LoCoMo evidence fields are sometimes untidy ("D8:6; D9:17", "D:11:26"): every id they name. */
export function evidenceIds(raw: readonly string[]): string[] {
  return raw.flatMap((field) => [...field.matchAll(/D:?(\d+):(\d+)/g)].map((m) => `D${m[1]}:${Number(m[2])}`));
}

/** A message as the user would have sent it: a shared photo is described the way LoCoMo's own baselines do. */
const messageText = (m: z.infer<typeof message>) => (m.blip_caption ? `${m.text} [shares ${m.blip_caption}]` : m.text);

function conversationFrom(id: string, body: Record<string, unknown>, qa: unknown[], source: string): EvalConversation {
  const head = sessions.parse(body);
  const numbers = Object.keys(body)
    .flatMap((key) => {
      const m = /^session_(\d+)$/.exec(key);
      return m ? [Number(m[1])] : [];
    })
    .sort((a, b) => a - b);
  const turns: EvalTurn[] = [];
  const messages = new Map<string, string>();
  for (const n of numbers) {
    const parsed = z.array(message).safeParse(body[`session_${n}`]);
    if (!parsed.success) throw new InputError(`${source}: session_${n} of conversation ${id}: ${parsed.error.issues[0]?.message ?? 'not a list of messages'}`);
    const when = parseSessionTime(String(body[`session_${n}_date_time`] ?? ''));
    if (!when) throw new InputError(`${source}: session_${n}_date_time of conversation ${id} is not like "1:56 pm on 8 May, 2023"`);
    let open: EvalTurn | undefined;
    let second = 0;
    const start = (): EvalTurn => {
      const turn = { diaIds: [], userText: '', reply: '', at: new Date(when.getTime() + 1000 * second++).toISOString() };
      turns.push(turn);
      return turn;
    };
    for (const m of parsed.data) {
      const diaId = evidenceIds([m.dia_id])[0] ?? m.dia_id;
      const text = messageText(m);
      messages.set(diaId, text);
      if (m.speaker === head.speaker_a) {
        open = start();
        open.userText = text;
      } else {
        // A session the bot opens, or a second bot message, starts a turn with no user text.
        if (open === undefined || open.reply !== '') open = start();
        open.reply = text;
      }
      open.diaIds.push(diaId);
    }
  }
  const questions = qa.flatMap((row): EvalQuestion[] => {
    const q = question.safeParse(row);
    if (!q.success) return [];
    return [{ question: q.data.question, category: q.data.category, evidence: [...new Set(evidenceIds(q.data.evidence))].filter((e) => messages.has(e)) }];
  });
  return { id, user: head.speaker_a, bot: head.speaker_b, turns, questions, messages };
}

/** Every conversation in one file of either shape; the file's name stands for a single conversation's id. */
export function parseConversations(value: unknown, source: string): EvalConversation[] {
  const list = published.safeParse(value);
  if (list.success) return list.data.map((row, i) => conversationFrom(String(row.sample_id ?? `${path.basename(source, '.json')}-${i}`), row.conversation, row.qa, source));
  const one = single.safeParse(value);
  if (one.success) return [conversationFrom(path.basename(source, '.json'), one.data, one.data.qa, source)];
  throw new InputError(`${source} is neither a LoCoMo conversation nor the published list of them`, {
    hint: 'expected { speaker_a, speaker_b, session_1, session_1_date_time, ..., qa } or [{ sample_id, conversation, qa }]',
  });
}

export async function loadConversations(files: readonly string[]): Promise<EvalConversation[]> {
  const out: EvalConversation[] = [];
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch (cause) {
      throw new InputError(`cannot read ${file} as JSON`, { cause, hint: 'give the path of a LoCoMo-format .json file' });
    }
    out.push(...parseConversations(value, file));
  }
  return out;
}
