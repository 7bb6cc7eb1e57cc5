import { describe, expect, it } from 'vitest';
import { applyChunk, completionRequest, errorMessage, type StreamedReply } from '../../src/inference/openai-wire.js';
import { sseData } from '../../src/inference/sse-data.js';
import { RemoteRefusedError } from '../../src/errors.js';

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function collect(body: AsyncIterable<Uint8Array>, onBytes?: () => void): Promise<string[]> {
  const out: string[] = [];
  for await (const payload of sseData(body, onBytes)) out.push(payload);
  return out;
}

describe('server-sent events: data payloads', () => {
  it('joins lines and characters split across chunks (emoji, Cyrillic)', async () => {
    const text = 'data: {"c":"Привет 🌊"}\n\n: keep-alive\nevent: x\ndata: [DONE]\n';
    const bytes = new TextEncoder().encode(text);
    // Cut inside the emoji's four bytes and inside a Cyrillic letter's two.
    const wave = bytes.indexOf(0xf0);
    const parts = [bytes.subarray(0, 12), bytes.subarray(12, wave + 2), bytes.subarray(wave + 2)];
    let arrivals = 0;
    expect(await collect(chunks(...parts), () => arrivals++)).toEqual(['{"c":"Привет 🌊"}']);
    expect(arrivals).toBe(3);
  });

  it('leaves out a last line that never got its newline', async () => {
    const encode = (s: string) => new TextEncoder().encode(s);
    expect(await collect(chunks(encode('data: one\r\ndata: two')))).toEqual(['one']);
  });
});

describe('OpenAI wire format', () => {
  const empty = (): StreamedReply => ({ text: '', tokens: 0, firstTokenMs: undefined, finishReason: 'stop' });

  it('folds chunks into the reply, the server\'s token count winning', () => {
    const reply = empty();
    const pieces: string[] = [];
    applyChunk(reply, { choices: [{ delta: { content: 'Ahoy, ' } }] }, (p) => pieces.push(p));
    applyChunk(reply, { choices: [{ delta: { content: 'Mara 🚤' } }] }, (p) => pieces.push(p));
    applyChunk(reply, { choices: [{ delta: { content: null }, finish_reason: 'length' }], usage: { completion_tokens: 7 } }, (p) => pieces.push(p));
    expect(reply).toEqual({ text: 'Ahoy, Mara 🚤', tokens: 7, firstTokenMs: undefined, finishReason: 'length' });
    expect(pieces).toEqual(['Ahoy, ', 'Mara 🚤']);
  });

  it('turns an error chunk into a refusal with the server\'s message', () => {
    const error = (() => {
      try {
        applyChunk(empty(), { error: { message: 'context length exceeded' } }, () => undefined);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RemoteRefusedError);
    expect(String(error)).toContain('context length exceeded');
  });

  it('reads error bodies of every usual shape', () => {
    expect(errorMessage('{"error":{"message":"model not found"}}')).toBe('model not found');
    expect(errorMessage('{"error":"rate limited"}')).toBe('rate limited');
    expect(errorMessage('{"message":"bad key"}')).toBe('bad key');
    expect(errorMessage('<html>502</html>')).toBe('<html>502</html>');
    expect(errorMessage('')).toBe('no details');
  });

  it('sends the seed and stop words only when given, and the key only when set', () => {
    const plain = completionRequest('qwen3', undefined, { messages: [{ role: 'user', content: 'hi' }] });
    expect(plain.headers.authorization).toBeUndefined();
    expect(JSON.parse(plain.body)).toEqual({ model: 'qwen3', messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 256, temperature: 0.7 });
    const full = completionRequest('qwen3', 'sk-1', { messages: [], seed: 0, stop: ['\nUser:'], maxTokens: 9, temperature: 0 });
    expect(full.headers.authorization).toBe('Bearer sk-1');
    expect(JSON.parse(full.body)).toMatchObject({ seed: 0, stop: ['\nUser:'], max_tokens: 9, temperature: 0 });
  });
});
