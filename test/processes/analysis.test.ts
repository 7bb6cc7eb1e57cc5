import { beforeAll, describe, expect, it } from 'vitest';
import { sentimentSchema, understandingSchema, type SentimentAnalysis, type UnderstandingAnalysis } from '../../src/ao/protocol.js';
import { analyze, createModuleRunner, ensureModulesBuilt } from '../support/module-runner.js';

type Runner = Awaited<ReturnType<typeof createModuleRunner>>;
let sentiment: Runner;
let understanding: Runner;

beforeAll(async () => {
  ensureModulesBuilt();
  sentiment = await createModuleRunner('sentiment');
  understanding = await createModuleRunner('understanding');
});

async function feel(text: string): Promise<SentimentAnalysis> {
  const result = await sentiment.send(analyze(text));
  return sentimentSchema.parse(JSON.parse(result.Messages[0]?.Data ?? ''));
}
async function understand(text: string): Promise<UnderstandingAnalysis> {
  const result = await understanding.send(analyze(text));
  return understandingSchema.parse(JSON.parse(result.Messages[0]?.Data ?? ''));
}

describe('Sentiment process', () => {
  it('answers Analyze with Analyzed to the sender, or to Reply-To when its worker asks, keeping the Turn-Id', async () => {
    const direct = await sentiment.send(analyze('great'));
    expect(direct.Messages[0]?.Target).toBe('sender');
    // Anyone may ask for an analysis, but only the worker may send it on to another process.
    const ignored = await sentiment.send(analyze('great', [{ name: 'Reply-To', value: 'generation-pid' }]));
    expect(ignored.Messages[0]?.Target).toBe('sender');
    const worked = await createModuleRunner('sentiment', { processTags: [{ name: 'Inference-Worker', value: 'sender' }] });
    const routed = await worked.send(analyze('great', [{ name: 'Reply-To', value: 'generation-pid' }]));
    expect(routed.Messages[0]?.Target).toBe('generation-pid');
    expect(routed.Messages[0]?.Tags).toEqual(expect.arrayContaining([{ name: 'Action', value: 'Analyzed' }, { name: 'Turn-Id', value: 'turn-1' }, { name: 'Analysis', value: 'sentiment' }]));
  });

  it('is deterministic, and a dry-run of the same message returns the same JSON', async () => {
    const first = await sentiment.send(analyze('I really love this!'));
    const again = await sentiment.send(analyze('I really love this!'));
    const dry = await sentiment.dryRun(analyze('I really love this!'));
    expect(again.Messages[0]?.Data).toBe(first.Messages[0]?.Data);
    expect(dry.Messages[0]?.Data).toBe(first.Messages[0]?.Data);
    expect(JSON.parse(String(dry.Output))).toEqual(JSON.parse(first.Messages[0]?.Data ?? ''));
  });

  it('handles negation, contrast, capitals, punctuation, emoji and emoticons', async () => {
    expect((await feel('this is good')).label).toBe('positive');
    expect((await feel('this is not good')).label).toBe('negative');
    expect((await feel('not bad at all')).compound).toBeGreaterThanOrEqual(0);
    expect((await feel('the food was good but the service was terrible')).label).toBe('negative');
    expect((await feel('the service was slow but the food was amazing')).label).toBe('positive');
    expect((await feel('I love it!!!')).compound).toBeGreaterThan((await feel('I love it')).compound);
    expect((await feel('I LOVE it')).compound).toBeGreaterThan((await feel('I love it')).compound);
    expect((await feel('very good')).compound).toBeGreaterThan((await feel('good')).compound);
    expect((await feel('on my way 😊')).label).toBe('positive');
    expect((await feel('missed the bus again :(')).label).toBe('negative');
    expect((await feel('the meeting is at noon')).label).toBe('neutral');
    expect((await feel('oh great, another delay. yeah right')).label).toBe('negative');
  });

  it('reads chat as chat: handles, links, hashtags, long emoticons, negation to the end of the clause', async () => {
    // "@united" is an address, not the word "united"; a link's words are not the writer's: the
    // message reads exactly as it does without them.
    expect(await feel('@united my flight is at 5pm')).toEqual(await feel('my flight is at 5pm'));
    expect((await feel('@united my flight is at 5pm')).label).toBe('neutral');
    expect(await feel('@HappyHourBar @love_island_fan table for 4 at 8:30 please')).toEqual(await feel('table for 4 at 8:30 please'));
    expect(await feel('look https://example.com/great-love-happy')).toEqual(await feel('look'));
    // A hashtag is words run together.
    expect((await feel('#BestDayEver')).label).toBe('positive');
    expect((await feel('missed my train again #fail')).label).toBe('negative');
    expect((await feel('third delay this week #NotHappy')).label).toBe('negative');
    // A long emoticon is the short one, said louder.
    expect((await feel('stuck at the airport :(((')).label).toBe('negative');
    expect((await feel('see you there :)))')).label).toBe('positive');
    expect((await feel('exam results tomorrow :-(((')).label).toBe('negative');
    expect((await feel('Zoë got the keys to the new flat :-DDD')).label).toBe('positive');
    // A negation reaches past three words, up to the clause's end, and no further.
    expect((await feel("I don't think this movie is good at all")).label).toBe('negative');
    expect((await feel('it is not the best, but I love it')).label).toBe('positive');
    expect((await feel('I would not recommend this phone to anyone I know')).label).toBe('negative');
  });

  it('reads feeling the lexicon has no word for, and keeps facts and questions neutral', async () => {
    // No AFINN word in these: the learned model carries them.
    expect((await feel('the battery died after two days')).label).toBe('negative');
    expect((await feel('will definitely be back next time we are in Lyon')).label).toBe('positive');
    expect((await feel('the sound is static and garbled')).label).not.toBe('positive');
    for (const text of ['what time does the museum open?', 'the train to Leeds leaves at 17:05', 'my sister Ana lives in Porto', 'ok']) {
      expect((await feel(text)).label, text).toBe('neutral');
    }
    // The VADER convention holds: the label follows the compound's ±0.05 band.
    for (const text of ['the battery died after two days', 'ok', 'great', 'huge disappointment']) {
      const { label, compound } = await feel(text);
      expect(label === 'positive' ? compound >= 0.05 : label === 'negative' ? compound <= -0.05 : Math.abs(compound) < 0.05, text).toBe(true);
    }
  });

  it('names the emotion', async () => {
    expect((await feel('I am so happy today')).emotion).toBe('joy');
    expect((await feel('I feel so lonely and sad')).emotion).toBe('sadness');
    expect((await feel('this makes me furious, I hate it')).emotion).toBe('anger');
    expect((await feel("I'm scared and worried about the exam")).emotion).toBe('fear');
    expect((await feel('wow, I did not expect that, so surprising')).emotion).toBe('surprise');
  });
});

describe('Understanding process', () => {
  it('finds intents', async () => {
    const cases: Array<[string, string]> = [
      ['hi there!', 'greeting'], ['good morning eliza', 'greeting'], ['bye, see you tomorrow', 'farewell'],
      ['what is the capital of France?', 'question'], ['can you recommend a book', 'request'], ['thanks a lot!', 'thanks'],
      ['this bot is useless, it never works', 'complaint'], ['/reset', 'command'], ['lol nice', 'smalltalk'],
      ['my sister just moved to Porto last week', 'share-information'],
    ];
    for (const [text, intent] of cases) expect([text, (await understand(text)).intent]).toEqual([text, intent]);
  });

  it('flags facts worth remembering and the entities in them', async () => {
    const result = await understand('my name is Alice and I love sailing');
    expect(result.facts).toEqual([{ kind: 'name', text: 'Alice' }, { kind: 'preference', text: 'sailing' }]);
    expect(result.entities).toContainEqual({ type: 'person', text: 'Alice' });
    expect(result.topics).toContain('sailing');
    expect((await understand('I live in Lisbon')).facts).toEqual([{ kind: 'location', text: 'Lisbon' }]);
    const plans = await understand('remind me to call Maria tomorrow at 5pm, or email bob@example.com, see https://example.com');
    expect(plans.entities).toEqual(expect.arrayContaining([
      { type: 'date', text: 'tomorrow' }, { type: 'time', text: '5pm' }, { type: 'email', text: 'bob@example.com' }, { type: 'url', text: 'https://example.com' },
    ]));
    expect((await understand('I have 3 cats')).entities).toContainEqual({ type: 'number', text: '3' });
  });

  it('detects questions and languages', async () => {
    expect((await understand('do you like jazz')).isQuestion).toBe(true);
    expect((await understand('I like jazz')).isQuestion).toBe(false);
    const languages: Array<[string, string]> = [
      ['where is the station?', 'en'], ['¿Dónde está la estación?', 'es'], ["Bonjour, je suis très content aujourd'hui", 'fr'],
      ['Ich wohne in Berlin und ich mag Fußball', 'de'], ['Ciao, come stai? Io sono molto stanco', 'it'], ['Olá, eu não sei onde está a estação', 'pt'],
      ['Hallo, ik ben heel moe vandaag', 'nl'],
    ];
    for (const [text, language] of languages) expect([text, (await understand(text)).language]).toEqual([text, language]);
  });
});
