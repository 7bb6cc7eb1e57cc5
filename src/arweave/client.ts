/**
 * The Arweave port: post signed transactions and ANS-104 bundles, query by tags (GraphQL),
 * read data. One adapter serves arlocal and real gateways; failures say whether the gateway
 * refused (RemoteRefusedError) or could not be reached (UnreachableError).
 */
import Arweave from 'arweave';
import { Bundle, DataItem, createData } from '@dha-team/arbundles';
import { createGatewayHttp } from './gateway-http.js';
import { queryAllWith, queryWith } from './graphql-query.js';
import { localFundsWith } from './local-funds.js';
import { threadpoolSigner } from './threadpool-signer.js';
import { txPosterWith } from './tx-poster.js';
import type { Tag } from './tag.js';
import type { QueryFilter, QueryResult, SignedItem } from './types.js';
import type { JWKInterface } from './wallet.js';

export type { QueryFilter, QueryResult, SignedItem } from './types.js';

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

/** How many records a reader fetches from the gateway at once (one by one is slow over a network, all at once floods it). */
export const GATEWAY_READS_AT_ONCE = 16;

export function createArweaveClient(opts: ArweaveClientOptions): ArweaveClient {
  const base = new URL(opts.url);
  const arweave = Arweave.init({
    host: base.hostname,
    port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
    protocol: base.protocol.replace(':', ''),
    logging: false,
  });
  const local = opts.local ?? false;
  const http = createGatewayHttp(opts.url, opts.fetch ?? fetch);
  const signer = threadpoolSigner(opts.wallet);
  let addressPromise: Promise<string> | undefined;
  const address = () => (addressPromise ??= arweave.wallets.jwkToAddress(opts.wallet));
  const ensureFunds = localFundsWith({ http, address, local, adminToken: opts.adminToken });
  const postTransaction = txPosterWith({ arweave, wallet: opts.wallet, http, local });
  const query = queryWith(http);

  return {
    url: http.url,
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
    queryAll: queryAllWith(query),
    async getData(id) {
      const response = await http.request(`/${id}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    async mine() {
      if (local) await http.request('/mine');
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
