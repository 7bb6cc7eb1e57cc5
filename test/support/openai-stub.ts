/** A local stand-in for an OpenAI-compatible server: chat completions with SSE streaming. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: { model?: string; messages?: Array<{ role: string; content: string }>; stream?: boolean; max_tokens?: number };
}

export interface OpenAiStub {
  url: string;
  requests: StubRequest[];
  /** The next request gets this HTTP error instead of a completion. */
  failNext(status: number, message: string): void;
  close(): Promise<void>;
}

/** Answers each request by streaming `reply(messages)` word by word. */
export async function startOpenAiStub(reply: (messages: Array<{ role: string; content: string }>) => string): Promise<OpenAiStub> {
  const requests: StubRequest[] = [];
  let failure: { status: number; message: string } | undefined;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as StubRequest['body'];
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      if (failure) {
        const { status, message } = failure;
        failure = undefined;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message } }));
        return;
      }
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const words = reply(body.messages ?? []).split(/(?<= )/);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let index = 0;
      const next = () => {
        const word = words[index++];
        if (word === undefined) {
          res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
          res.end('data: [DONE]\n\n');
          return;
        }
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: word }, finish_reason: null }] })}\n\n`);
        setTimeout(next, 2);
      };
      next();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(status, message) {
      failure = { status, message };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
