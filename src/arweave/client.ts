/**
 * The Arweave port: post signed transactions and ANS-104 bundles, query by tags (GraphQL),
 * read data. One adapter serves arlocal and real gateways; failures say whether the gateway
 * refused (RemoteRefusedError) or could not be reached (UnreachableError).
 */
import Arweave from 'arweave';
import { Bundle, DataItem, createData } from '@dha-team/arbundles';
import { GATEWAY_TOKEN_HEADER, processGatewayToken } from './gateway-token.js';
import { threadpoolSigner } from './threadpool-signer.js';
import type { JWKInterface } from './wallet.js';
import { RemoteRefusedError, UnreachableError } from '../errors.js';

export interface Tag {
  name: string;
  value: string;
}

/** A signed ANS-104 data item: its id is fixed at signing, so a retry cannot duplicate it. */
export interface SignedItem {
  id: string;
  raw: Uint8Array;
}

export interface QueryFilter {
  tags: Array<{ name: string; values: string[] }>;
  owners?: string[];
  ids?: string[];
  first?: number;
  after?: string;
  sort?: 'HEIGHT_ASC' | 'HEIGHT_DESC';
}

export interface QueryResult {
  /** `height`: the block's, absent while the item is pending (or from a source without blocks). */
  items: Array<{ id: string; tags: Tag[]; cursor: string; height?: number }>;
  hasNextPage: boolean;
}

export interface ArweaveClient {
  readonly url: string;
  address(): Promise<string>;
  post(data: Uint8Array, tags: Tag[]): Promise<string>;
  postBundle(items: SignedItem[]): Promise<string>;
  signItem(data: Uint8Array, tags: Tag[]): Promise<SignedItem>;
  query(filter: QueryFilter): Promise<QueryResult>;
  /** Every item matching the filter, following pages. */
  queryAll(filter: Omit<QueryFilter, 'after'>): Promise<QueryResult['items']>;
  getData(id: string): Promise<Uint8Array>;
  /** Mines pending transactions on arlocal; a no-op against a real gateway. */
  mine(): Promise<void>;
}

export interface ArweaveClientOptions {
  url: string;
  wallet: JWKInterface;
  /** true for arlocal: mint test AR on demand and mine after posting. */
  local?: boolean;
  /** Sent with arlocal's mint, which the embedded gateway reserves to its process; default: this process's token. */
  adminToken?: string;
  fetch?: typeof fetch;
}

const SERVICE = 'arweave';
/** How many records a reader fetches from the gateway at once (one by one is slow over a network, all at once floods it). */
export const GATEWAY_READS_AT_ONCE = 16;

export function createArweaveClient(opts: ArweaveClientOptions): ArweaveClient {
  const base = new URL(opts.url);
  const doFetch = opts.fetch ?? fetch;
  const arweave = Arweave.init({
    host: base.hostname,
    port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
    protocol: base.protocol.replace(':', ''),
    logging: false,
  });
  const signer = threadpoolSigner(opts.wallet);
  const url = opts.url.replace(/\/$/, '');
  let addressPromise: Promise<string> | undefined;
  let funded = false;

  async function request(path: string, init?: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${url}${path}`, init);
    } catch (error) {
      throw new UnreachableError(SERVICE, url, { cause: error, hint: 'check ARWEAVE_URL and that the gateway is running' });
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new RemoteRefusedError(SERVICE, response.status, `${path.split('?')[0]}: ${body.slice(0, 200)}`);
    }
    return response;
  }

  const address = () => (addressPromise ??= arweave.wallets.jwkToAddress(opts.wallet));

  async function ensureFunds(): Promise<void> {
    if (!opts.local || funded) return;
    try {
      // Only this request carries the token: the others need none, and ARWEAVE_URL may name a gateway of another process.
      await request(`/mint/${await address()}/1000000000000000`, { headers: { [GATEWAY_TOKEN_HEADER]: opts.adminToken ?? processGatewayToken } });
    } catch (error) {
      if (!(error instanceof RemoteRefusedError) || error.status !== 403) throw error;
      throw new RemoteRefusedError(SERVICE, 403, 'minting test AR for this wallet was refused', {
        cause: error,
        hint: `${url} is the embedded gateway of another permachat process, which alone may mint there: unset ARWEAVE_URL (this process then runs its own), or use a gateway where ARWEAVE_WALLET is funded`,
      });
    }
    funded = true;
  }

  // arlocal keys a transaction's chunks by the current block: two posts before one mine collide
  // (SQLITE_CONSTRAINT). Against arlocal, each post and its mine go one at a time.
  let serial: Promise<unknown> = Promise.resolve();
  function postTransaction(tx: Awaited<ReturnType<typeof arweave.createTransaction>>): Promise<string> {
    if (!opts.local) return postOnce(tx);
    const run = serial.then(() => postOnce(tx));
    serial = run.catch(() => undefined);
    return run;
  }

  async function postOnce(tx: Awaited<ReturnType<typeof arweave.createTransaction>>): Promise<string> {
    await arweave.transactions.sign(tx, opts.wallet);
    let response: { status: number; statusText: string; data: unknown };
    try {
      if (opts.local) {
        // Data in the body, whatever its size: arlocal's chunked-upload path can crash its host
        // process (an unhandled rejection in its chunk poller) when it is stopped mid-upload.
        const answer = await request('/tx', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tx.toJSON()) });
        response = { status: answer.status, statusText: answer.statusText, data: await answer.text() };
      } else {
        response = await arweave.transactions.post(tx);
      }
    } catch (error) {
      if (error instanceof RemoteRefusedError) throw error;
      throw new UnreachableError(SERVICE, url, { cause: error, hint: 'check ARWEAVE_URL and that the gateway is running' });
    }
    // 208: already known — posting the same signed bytes again is harmless.
    if (response.status !== 200 && response.status !== 202 && response.status !== 208) {
      throw new RemoteRefusedError(SERVICE, response.status, `post tx: ${JSON.stringify(response.data).slice(0, 200)}`);
    }
    if (opts.local) await request('/mine');
    return tx.id;
  }

  async function query(filter: QueryFilter): Promise<QueryResult> {
    const gql = `query($tags:[TagFilter!],$owners:[String!],$ids:[ID!],$first:Int,$after:String,$sort:SortOrder){
      transactions(tags:$tags,owners:$owners,ids:$ids,first:$first,after:$after,sort:$sort){
        pageInfo{hasNextPage} edges{cursor node{id tags{name value} block{height}}}}}`;
    const variables = {
      tags: filter.tags,
      owners: filter.owners,
      ids: filter.ids,
      first: filter.first ?? 100,
      after: filter.after,
      sort: filter.sort ?? 'HEIGHT_ASC',
    };
    const response = await request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: gql, variables }),
    });
    const body = (await response.json()) as {
      data?: { transactions?: { pageInfo: { hasNextPage: boolean }; edges: Array<{ cursor: string; node: { id: string; tags: Tag[]; block?: { height: number } | null } }> } };
      errors?: Array<{ message: string }>;
    };
    const transactions = body.data?.transactions;
    if (!transactions) throw new RemoteRefusedError(SERVICE, 200, `graphql: ${body.errors?.[0]?.message ?? 'no data'}`);
    return {
      hasNextPage: transactions.pageInfo.hasNextPage,
      items: transactions.edges.map((edge) => ({
        id: edge.node.id,
        tags: edge.node.tags,
        cursor: edge.cursor,
        ...(typeof edge.node.block?.height === 'number' ? { height: edge.node.block.height } : {}),
      })),
    };
  }

  return {
    url,
    address,
    async post(data, tags) {
      await ensureFunds();
      const tx = await arweave.createTransaction({ data }, opts.wallet);
      for (const tag of tags) tx.addTag(tag.name, tag.value);
      return postTransaction(tx);
    },
    async signItem(data, tags) {
      const item = createData(data, signer, { tags });
      await item.sign(signer);
      return { id: item.id, raw: new Uint8Array(item.getRaw()) };
    },
    async postBundle(items) {
      await ensureFunds();
      const bundle = new Bundle(encodeBundle(items));
      const tx = await bundle.toTransaction({}, arweave, opts.wallet);
      return postTransaction(tx);
    },
    query,
    async queryAll(filter) {
      const out: QueryResult['items'] = [];
      let after: string | undefined;
      for (;;) {
        const page = await query({ ...filter, ...(after === undefined ? {} : { after }) });
        out.push(...page.items);
        const last = page.items[page.items.length - 1];
        if (!page.hasNextPage || !last) return out;
        after = last.cursor;
      }
    },
    async getData(id) {
      const response = await request(`/${id}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    async mine() {
      if (opts.local) await request('/mine');
    },
  };
}

/** Whether the bytes are a well-formed data item with the given id (a file read back from disk). */
export function isWholeItem(item: SignedItem): boolean {
  try {
    return new DataItem(Buffer.from(item.raw)).id === item.id;
  } catch {
    return false;
  }
}

/** The tags and data of a signed item (one this process signed, e.g. read back from an outbox). */
export function readSignedItem(item: SignedItem): { tags: Tag[]; data: Uint8Array } {
  const parsed = new DataItem(Buffer.from(item.raw));
  return { tags: parsed.tags.map(({ name, value }) => ({ name, value })), data: new Uint8Array(parsed.rawData) };
}

/** ANS-104 bundle binary: item count, then (size, id) pairs as 32-byte little-endian fields, then the items. */
function encodeBundle(items: SignedItem[]): Buffer {
  const header = Buffer.alloc(32 + 64 * items.length);
  header.writeUInt32LE(items.length, 0);
  items.forEach((item, index) => {
    const offset = 32 + 64 * index;
    header.writeUInt32LE(item.raw.byteLength, offset);
    const id = new DataItem(Buffer.from(item.raw)).rawId;
    id.copy(header, offset + 32);
  });
  return Buffer.concat([header, ...items.map((item) => Buffer.from(item.raw))]);
}
