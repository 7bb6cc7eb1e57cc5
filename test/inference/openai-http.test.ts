import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiModel } from '../../src/inference/openai-http.js';
import { freePort } from '../../src/arweave/arlocal.js';
import { RemoteRefusedError, UnreachableError } from '../../src/errors.js';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';

describe('OpenAI-compatible HTTP adapter', () => {
  let stub: OpenAiStub;
  beforeAll(async () => {
    stub = await startOpenAiStub((messages) => `You said: ${messages.at(-1)?.content ?? ''}`);
  });
  afterAll(async () => stub.close());

  it('streams the reply token by token and sends a well-formed request', async () => {
    const model = createOpenAiModel({ baseUrl: stub.url, model: 'qwen3', apiKey: 'sk-test-123456' });
    const tokens: string[] = [];
    const result = await model.generate({
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello there' }],
      maxTokens: 12,
      onToken: (token) => tokens.push(token),
    });
    expect(result.text).toBe('You said: hello there');
    expect(tokens.length).toBeGreaterThan(2);
    expect(tokens.join('')).toBe(result.text);
    expect(result.firstTokenMs).toBeGreaterThanOrEqual(0);
    const request = stub.requests.at(-1);
    expect(request?.body).toMatchObject({ model: 'qwen3', stream: true, max_tokens: 12 });
    expect(request?.body.messages?.[1]).toEqual({ role: 'user', content: 'hello there' });
    expect(request?.headers.authorization).toBe('Bearer sk-test-123456');
  });

  it('reports a refusal with the server\'s own message', async () => {
    const model = createOpenAiModel({ baseUrl: stub.url, model: 'x' });
    stub.failNext(503, 'model is loading');
    const error = await model.generate({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteRefusedError);
    expect(String((error as Error).message)).toContain('model is loading');
    expect((error as RemoteRefusedError).status).toBe(503);
  });

  it('explains a wrong base URL (404)', async () => {
    const model = createOpenAiModel({ baseUrl: stub.url.replace(/\/v1$/, ''), model: 'x' });
    const error = await model.generate({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteRefusedError);
    expect((error as RemoteRefusedError).hint).toMatch(/\/v1/);
  });

  it('says the server is unreachable when nothing listens', async () => {
    const model = createOpenAiModel({ baseUrl: `http://127.0.0.1:${await freePort()}/v1`, model: 'x' });
    await expect(model.generate({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(UnreachableError);
  });
});
