/**
 * A stand-in for the HTTP calls aoconnect's mainnet mode makes to a HyperBEAM node, answered by
 * the embedded AO node underneath (which schedules, evaluates the real modules and pushes
 * outboxes, as HyperBEAM's scheduler, genesis-wasm and push devices would). Every request must be
 * a signed ANS-104 item, as in mainnet mode; each one is recorded (path and tags) so a test can
 * check the calls' shapes. What a live HyperBEAM answers was read from aoconnect's source, not
 * seen: see the README.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AoNode } from '../../src/ao/node/ao-node.js';
import { parseSignedItem, readRawItem } from '../../src/ao/node/data-item.js';

export interface HyperbeamCall {
  path: string;
  tags: Record<string, string>;
}

async function body(req: http.IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function reply(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

export async function startHyperbeamStub(node: AoNode) {
  const calls: HyperbeamCall[] = [];

  async function idAt(pid: string, slotOrId: string): Promise<string> {
    if (!/^\d+$/.test(slotOrId)) return slotOrId;
    const entry = (await node.scheduled(pid))[Number(slotOrId)];
    if (!entry) throw new Error(`slot ${slotOrId} of ${pid} is not scheduled`);
    return readRawItem(Buffer.from(entry.item, 'base64')).id;
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = decodeURIComponent(req.url ?? '/');
    if (req.method === 'GET' && path === '/~meta@1.0/info/address') return reply(res, 200, node.address);
    if (req.method !== 'POST') return reply(res, 405, { error: 'mainnet requests are POSTed, signed' });
    const raw = await body(req);
    const item = await parseSignedItem(raw);
    calls.push({ path, tags: Object.fromEntries(item.tags.map((tag) => [tag.name, tag.value])) });
    if (path === '/push') {
      const { id } = await node.submit(raw);
      return reply(res, 200, { slot: 0 }, { process: id });
    }
    let match = /^\/([\w-]{43})~process@1\.0\/push$/.exec(path);
    if (match) {
      const { id } = await node.submit(raw);
      return reply(res, 200, { slot: node.slotOf(match[1]!, id) }, { id });
    }
    match = /^\/([\w-]{43})\/slot\/current$/.exec(path);
    if (match) return reply(res, 200, String((await node.scheduled(match[1]!)).length - 1));
    match = /^\/([\w-]{43})(?:~process@1\.0)?\/compute\/results=([\w-]+)$/.exec(path);
    if (match) return reply(res, 200, { raw: await node.result(match[1]!, await idAt(match[1]!, match[2]!)) });
    match = /^\/([\w-]{43})~process@1\.0\/as=execution\/compute((?:&[^&=]+=[^&]*)*)$/.exec(path);
    if (match) {
      const tags = match[2]!.split('&').filter(Boolean).map((pair) => {
        const [name, value] = pair.split('=') as [string, string];
        return { name, value };
      });
      const data = new TextDecoder().decode(item.data);
      return reply(res, 200, { raw: await node.dryRun(match[1]!, { Id: item.id, Owner: item.owner, Target: match[1]!, Tags: tags, Data: data }) });
    }
    return reply(res, 404, { error: `no route for ${path}` });
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => reply(res, 400, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
