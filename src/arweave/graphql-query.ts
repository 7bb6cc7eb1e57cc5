/** The gateway's GraphQL: one page of items by tags, owners or ids, or every page. */
import { ARWEAVE_SERVICE, type GatewayHttp } from './gateway-http.js';
import type { Tag } from './tag.js';
import type { QueryFilter, QueryResult } from './types.js';
import { RemoteRefusedError } from '../errors.js';

const GQL = `query($tags:[TagFilter!],$owners:[String!],$ids:[ID!],$first:Int,$after:String,$sort:SortOrder){
      transactions(tags:$tags,owners:$owners,ids:$ids,first:$first,after:$after,sort:$sort){
        pageInfo{hasNextPage} edges{cursor node{id tags{name value} block{height}}}}}`;

interface GraphqlAnswer {
  data?: { transactions?: { pageInfo: { hasNextPage: boolean }; edges: Array<{ cursor: string; node: { id: string; tags: Tag[]; block?: { height: number } | null } }> } };
  errors?: Array<{ message: string }>;
}

export function queryWith(http: GatewayHttp): (filter: QueryFilter) => Promise<QueryResult> {
  return async function query(filter) {
    const variables = {
      tags: filter.tags,
      owners: filter.owners,
      ids: filter.ids,
      first: filter.first ?? 100,
      after: filter.after,
      sort: filter.sort ?? 'HEIGHT_ASC',
    };
    const response = await http.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: GQL, variables }),
    });
    const body = (await response.json()) as GraphqlAnswer;
    const transactions = body.data?.transactions;
    if (!transactions) throw new RemoteRefusedError(ARWEAVE_SERVICE, 200, `graphql: ${body.errors?.[0]?.message ?? 'no data'}`);
    return {
      hasNextPage: transactions.pageInfo.hasNextPage,
      items: transactions.edges.map((edge) => ({
        id: edge.node.id,
        tags: edge.node.tags,
        cursor: edge.cursor,
        ...(typeof edge.node.block?.height === 'number' ? { height: edge.node.block.height } : {}),
      })),
    };
  };
}

/** Every item matching the filter, following the pages' cursors. */
export function queryAllWith(query: (filter: QueryFilter) => Promise<QueryResult>) {
  return async function queryAll(filter: Omit<QueryFilter, 'after'>): Promise<QueryResult['items']> {
    const out: QueryResult['items'] = [];
    let after: string | undefined;
    for (;;) {
      const page = await query({ ...filter, ...(after === undefined ? {} : { after }) });
      out.push(...page.items);
      const last = page.items[page.items.length - 1];
      if (!page.hasNextPage || !last) return out;
      after = last.cursor;
    }
  };
}
