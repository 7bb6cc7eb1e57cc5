/**
 * An Arweave network held in this process's RAM: what posted bundles carry can be queried by
 * tag and read back, as from a gateway. For measurements that must run the real memory path
 * (signed items, bundles, tag queries) without a server: `permachat eval memory`.
 */
import { createArweaveClient, readSignedItem, type ArweaveClient, type QueryResult, type SignedItem } from './client.js';
import type { Tag } from './tag.js';
import type { JWKInterface } from './wallet.js';
import { RemoteRefusedError } from '../errors.js';

interface Stored {
  id: string;
  /** Posting order, as a block height. */
  order: number;
  tags: Tag[];
  data: Uint8Array;
}

export function createInProcessArweave(wallet: JWKInterface): ArweaveClient & { readonly size: number } {
  // Signing is local: this client never reaches the (closed) address it is given.
  const signer = createArweaveClient({ url: 'http://127.0.0.1:9', wallet });
  const stored = new Map<string, Stored>();
  const matches = (item: Stored, filter: { tags: Array<{ name: string; values: string[] }>; ids?: string[] }) =>
    (filter.ids === undefined || filter.ids.includes(item.id)) &&
    filter.tags.every((wanted) => item.tags.some((tag) => tag.name === wanted.name && wanted.values.includes(tag.value)));
  const keep = (item: SignedItem) => {
    const { tags, data } = readSignedItem(item);
    if (!stored.has(item.id)) stored.set(item.id, { id: item.id, order: stored.size, tags, data });
  };
  let posts = 0;
  const client: ArweaveClient & { readonly size: number } = {
    url: 'in-process:',
    get size() {
      return stored.size;
    },
    address: () => signer.address(),
    signItem: (data, tags) => signer.signItem(data, tags),
    async post(data, tags) {
      const item = await signer.signItem(data, tags);
      keep(item);
      return item.id;
    },
    async postBundle(items) {
      for (const item of items) keep(item);
      posts += 1;
      return `in-process-bundle-${posts}`;
    },
    async query(filter) {
      // Posting order stands in for block height; the cursor is the position.
      const all = [...stored.values()].filter((item) => matches(item, filter));
      const ordered = filter.sort === 'HEIGHT_DESC' ? all.reverse() : all;
      const from = filter.after === undefined ? 0 : Number(filter.after) + 1;
      const first = filter.first ?? 100;
      const page: QueryResult['items'] = ordered.slice(from, from + first).map((item, i) => ({ id: item.id, tags: item.tags, cursor: String(from + i), height: item.order }));
      return { items: page, hasNextPage: from + first < ordered.length };
    },
    async queryAll(filter) {
      const out: QueryResult['items'] = [];
      let after: string | undefined;
      for (;;) {
        const page = await client.query({ ...filter, ...(after === undefined ? {} : { after }) });
        out.push(...page.items);
        const last = page.items.at(-1);
        if (!page.hasNextPage || !last) return out;
        after = last.cursor;
      }
    },
    async getData(id) {
      const item = stored.get(id);
      if (!item) throw new RemoteRefusedError('arweave', 404, `no item ${id} in the in-process Arweave`);
      return item.data;
    },
    mine: async () => undefined,
  };
  return client;
}
