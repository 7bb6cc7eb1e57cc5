/**
 * A reference compute unit for the SU conformance test. It knows nothing of the node's insides:
 * like the stock CU (permaweb/ao servers/cu), it finds the scheduler through its
 * Scheduler-Location record on the gateway, reads the process and its schedule from the SU
 * routes page by page, checks every link of the hash chain, builds each message from the
 * assignment and the message as the CU's mapNode does, loads the module from the gateway, and
 * evaluates with @permaweb/ao-loader. Written for this test from the CU's published behaviour.
 */
import { createHash } from 'node:crypto';
import AoLoader from '@permaweb/ao-loader';

interface Tag {
  name: string;
  value: string;
}
interface SuItem {
  id: string;
  owner: { address: string; key: string };
  tags: Tag[];
  signature: string;
  anchor: string | null;
  target: string | null;
  data?: string | null;
}
interface SuEdge {
  cursor: string;
  node: { message: SuItem | null; assignment: SuItem };
}
interface SuPage {
  page_info: { has_next_page: boolean };
  edges: SuEdge[];
}

export interface ReferenceResult {
  messageId: string;
  slot: number;
  result: { Output: unknown; Messages: unknown[]; Spawns: unknown[]; Assignments: unknown[]; Error?: unknown; GasUsed?: number };
}

/**
 * ao-loader replaces the process-wide clocks and Math.random when it instantiates a module and
 * swaps some during calls (src/ao/node/sandbox.ts says why the node runs it in a worker). This
 * reference runs it in the test's own thread, so it puts them back after each use: the node under
 * test shares these globals.
 */
async function withHostGlobals<T>(run: () => Promise<T>): Promise<T> {
  const saved = { dateNow: Date.now, perfNow: performance.now.bind(performance), hrtime: process.hrtime, random: Math.random, log: console.log };
  try {
    return await run();
  } finally {
    Date.now = saved.dateNow;
    performance.now = saved.perfNow;
    process.hrtime = saved.hrtime;
    Math.random = saved.random;
    console.log = saved.log;
  }
}

type Handle = (memory: ArrayBuffer | null, msg: Record<string, unknown>, env: Record<string, unknown>) => Promise<Record<string, unknown> & { Memory: ArrayBuffer | null }>;

const tagOf = (tags: Tag[], name: string) => tags.find((tag) => tag.name === name)?.value;

function chainLink(previous: { assignmentId?: string; hashChain: string }): string {
  const hash = createHash('sha256');
  if (previous.assignmentId) hash.update(Buffer.from(previous.assignmentId, 'base64url'));
  return hash.update(Buffer.from(previous.hashChain, 'base64url')).digest('base64url');
}

/** "16-mb" → bytes, as the CU parses Memory-Limit. */
function sizeOf(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const match = /^(\d+)-?(b|kb|mb|gb)?$/i.exec(text);
  if (!match) throw new Error(`Memory-Limit ${text} is not a size`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Number(match[1]) * unit;
}

export function createReferenceCu(opts: { gatewayUrl: string; token: string; pageSize?: number }) {
  const headers = { authorization: `Bearer ${opts.token}` };

  async function json<T>(url: string, auth = true): Promise<T> {
    const response = await fetch(url, auth ? { headers } : {});
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function graphql<T>(query: string): Promise<T> {
    const response = await fetch(`${opts.gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data: T };
    return body.data;
  }

  /** The SU URL a scheduler announced, as ao-scheduler-utils looks it up (by owner). */
  async function locate(scheduler: string): Promise<string> {
    const data = await graphql<{ transactions: { edges: Array<{ node: { tags: Tag[] } }> } }>(
      `{ transactions(owners: ["${scheduler}"], tags: [{ name: "Type", values: ["Scheduler-Location"] }], first: 1) { edges { node { tags { name value } } } } }`,
    );
    const url = tagOf(data.transactions.edges[0]?.node.tags ?? [], 'Url');
    if (!url) throw new Error(`no Scheduler-Location record for ${scheduler} on the gateway`);
    return url;
  }

  async function loadModule(moduleId: string): Promise<{ handle: Handle; tags: Tag[] }> {
    const data = await graphql<{ transactions: { edges: Array<{ node: { tags: Tag[] } }> } }>(`{ transactions(ids: ["${moduleId}"]) { edges { node { tags { name value } } } } }`);
    const tags = data.transactions.edges[0]?.node.tags;
    if (!tags) throw new Error(`module ${moduleId} is not on the gateway`);
    const response = await fetch(`${opts.gatewayUrl}/${moduleId}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const options = {
      format: tagOf(tags, 'Module-Format'),
      inputEncoding: tagOf(tags, 'Input-Encoding'),
      outputEncoding: tagOf(tags, 'Output-Encoding'),
      memoryLimit: String(sizeOf(tagOf(tags, 'Memory-Limit')) ?? 512 * 1024 ** 2),
      computeLimit: Number(tagOf(tags, 'Compute-Limit') ?? 9e12),
      extensions: [],
    };
    const handle = await withHostGlobals(async () => (await AoLoader(bytes, options)) as unknown as Handle);
    return { handle, tags };
  }

  async function* schedule(suUrl: string, pid: string): AsyncGenerator<SuEdge> {
    let from: string | undefined;
    for (;;) {
      const params = new URLSearchParams({ limit: String(opts.pageSize ?? 25), ...(from ? { from } : {}) });
      const page = await json<SuPage>(`${suUrl}/${pid}?${params}`);
      yield* page.edges;
      const last = page.edges[page.edges.length - 1];
      if (!page.page_info.has_next_page || !last) return;
      from = last.cursor;
    }
  }

  /** The CU's message for one scheduled edge: the message's fields, then the assignment's. */
  function messageOf(edge: SuEdge): Record<string, unknown> {
    const { message, assignment } = edge.node;
    if (!message) throw new Error(`assignment ${assignment.id} names no message (assignments of existing items are not used here)`);
    const a = (name: string) => tagOf(assignment.tags, name) ?? '';
    const fromProcess = tagOf(message.tags, 'From-Process');
    const msg: Record<string, unknown> = {
      Id: message.id,
      Signature: message.signature,
      Data: message.data,
      Owner: message.owner.address,
      ...(message.anchor ? { Anchor: message.anchor } : {}),
      From: fromProcess || message.owner.address,
      ...(fromProcess ? { 'Forwarded-By': message.owner.address } : {}),
      Tags: message.tags,
      Target: a('Process'),
      Epoch: parseInt(a('Epoch'), 10),
      Nonce: parseInt(a('Nonce'), 10),
      Timestamp: parseInt(a('Timestamp'), 10),
      'Block-Height': parseInt(a('Block-Height'), 10),
      'Hash-Chain': a('Hash-Chain'),
      Cron: false,
    };
    return msg;
  }

  return {
    locate,
    /** Evaluates a process from its spawn through the SU's head; every result, in slot order. */
    async evaluate(pid: string, scheduler: string): Promise<ReferenceResult[]> {
      const suUrl = await locate(scheduler);
      const processJson = await json<{ process_id: string; owner: { address: string }; tags: Tag[] }>(`${suUrl}/processes/${pid}`);
      const moduleId = tagOf(processJson.tags, 'Module');
      if (!moduleId) throw new Error(`process ${pid} names no module`);
      const module = await loadModule(moduleId);
      const env = { Process: { Id: pid, Owner: processJson.owner.address, Tags: processJson.tags }, Module: { Id: moduleId, Tags: module.tags } };
      const results: ReferenceResult[] = [];
      let memory: ArrayBuffer | null = null;
      let previous: { assignmentId?: string; hashChain: string } | undefined;
      {
        for await (const edge of schedule(suUrl, pid)) {
          const msg = messageOf(edge);
          const expected = previous ? chainLink(previous) : createHash('sha256').update(Buffer.from(pid, 'base64url')).digest('base64url');
          if (msg['Hash-Chain'] !== expected) throw new Error(`hash chain broken at nonce ${String(msg.Nonce)} of ${pid}`);
          previous = { assignmentId: edge.node.assignment.id, hashChain: expected };
          if (msg.Nonce !== results.length) throw new Error(`nonce ${String(msg.Nonce)} where ${results.length} was due`);
          const raw = await withHostGlobals(() => module.handle(memory, msg, env));
          const failed = raw.Error !== undefined && raw.Error !== null && raw.Error !== '';
          if (!failed) memory = raw.Memory;
          results.push({
            messageId: String(msg.Id),
            slot: results.length,
            result: {
              Output: raw.Output ?? '',
              Messages: (raw.Messages as unknown[] | undefined) ?? [],
              Spawns: (raw.Spawns as unknown[] | undefined) ?? [],
              Assignments: (raw.Assignments as unknown[] | undefined) ?? [],
              ...(failed ? { Error: raw.Error } : {}),
              ...(typeof raw.GasUsed === 'number' ? { GasUsed: raw.GasUsed } : {}),
            },
          });
        }
      }
      return results;
    },
  };
}
