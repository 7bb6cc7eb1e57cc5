/**
 * time — the current date and time. A provider puts it in every prompt (models do not know
 * the date); an action answers "what time is it?" directly, exactly. Setting: TIMEZONE
 * (IANA name, e.g. "Europe/Lisbon"; default UTC) in the character's settings.
 */
import type { Action, IAgentRuntime, Memory, Plugin, Provider } from '@elizaos/core';

function zoneOf(runtime: IAgentRuntime): string {
  const zone = runtime.getSetting('TIMEZONE');
  if (typeof zone === 'string' && zone) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: zone });
      return zone;
    } catch {
      runtime.logger.warn(`time plugin: unknown TIMEZONE "${zone}", using UTC`);
    }
  }
  return 'UTC';
}

export function describeNow(now: Date, timeZone: string): { date: string; time: string; text: string } {
  const date = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(now);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
  return { date, time, text: `It is ${time} on ${date} (${timeZone}).` };
}

const asksForTime = /\b(what(?:'s| is)? (?:the )?(?:time|date|day)(?: is it)?|what time|which day|today'?s date|current (?:time|date))\b/i;

const timeProvider: Provider = {
  name: 'CURRENT_TIME',
  description: 'The current date and time',
  async get(runtime) {
    const now = describeNow(new Date(), zoneOf(runtime));
    return { text: `Current date and time: ${now.text}`, values: { date: now.date, time: now.time }, data: { iso: new Date().toISOString() } };
  },
};

const tellTime: Action = {
  name: 'TELL_TIME',
  similes: ['CURRENT_TIME', 'WHAT_TIME'],
  description: 'Tells the user the current date and time',
  async validate(_runtime: IAgentRuntime, message: Memory) {
    return asksForTime.test(message.content.text ?? '');
  },
  async handler(runtime, _message, _state, _options, callback) {
    const now = describeNow(new Date(), zoneOf(runtime));
    await callback?.({ text: now.text, actions: ['TELL_TIME'] });
    return { success: true, text: now.text, values: { time: now.time, date: now.date } };
  },
  examples: [],
};

const plugin: Plugin = {
  name: 'time',
  description: 'Current date and time, in the prompt and on request',
  providers: [timeProvider],
  actions: [tellTime],
};

export default plugin;
