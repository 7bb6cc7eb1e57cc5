/**
 * A user's memory records as the gateway lists them (GraphQL by the pseudonym tag, then the
 * data). Two ways to read: every record (a rebuild), or the newest ones until a whole page holds
 * nothing this machine knows (the tail after a snapshot; what another instance wrote since this
 * one last looked). A gateway lists items some time after they are posted, so what is known
 * locally (outbox, cache) is always merged with what is read here, never replaced by it.
 */
import { GATEWAY_READS_AT_ONCE, type ArweaveClient, type QueryFilter } from '../arweave/client.js';
import { mapLimited } from '../concurrency.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CachedRecord } from './cache.js';
import { APP_NAME, RECORD_FORMAT } from './tags.js';

/** Items per GraphQL page (the most real gateways give). */
export const PAGE = 100;

export interface GatewayRecords {
  /** Every record of the user the gateway lists (records it cannot read are logged and left out). */
  all(pseudonym: string): Promise<CachedRecord[]>;
  /**
   * The records listed newest first, up to and including the first page of which every id is in
   * `known`: what was added since. An item listed late, with a whole page of known records
   * above it, is left to the next full read (`memory rebuild`, a cold load).
   */
  newer(pseudonym: string, known: ReadonlySet<string>): Promise<CachedRecord[]>;
  /** The ids of every record of the user the gateway lists (GraphQL only). */
  listed(pseudonym: string): Promise<Set<string>>;
  /** These records' data (one that cannot be read is logged and left out). */
  read(ids: readonly string[]): Promise<CachedRecord[]>;
}

export const recordFilter = (pseudonym: string): QueryFilter => ({
  tags: [
    { name: 'App-Name', values: [APP_NAME] },
    { name: 'Record-Format', values: [RECORD_FORMAT] },
    { name: 'User', values: [pseudonym] },
  ],
  first: PAGE,
});

export function createGatewayRecords(deps: { arweave: ArweaveClient; logger: Logger }): GatewayRecords {
  async function read(ids: readonly string[]): Promise<CachedRecord[]> {
    const rows = await mapLimited(ids, GATEWAY_READS_AT_ONCE, async (id) => {
      try {
        return { id, sealed: await deps.arweave.getData(id) };
      } catch (error) {
        deps.logger.warn(`memory record ${id} could not be read from Arweave: ${describeError(error)}`);
        return undefined;
      }
    });
    return rows.filter((row): row is CachedRecord => row !== undefined);
  }

  const unique = (ids: string[]) => [...new Set(ids)];

  async function listed(pseudonym: string): Promise<Set<string>> {
    return new Set((await deps.arweave.queryAll(recordFilter(pseudonym))).map((item) => item.id));
  }

  return {
    listed,
    read,
    all: async (pseudonym) => read([...(await listed(pseudonym))]),
    async newer(pseudonym, known) {
      const fresh: Array<{ id: string; height: number }> = [];
      let after: string | undefined;
      for (;;) {
        const page = await deps.arweave.query({ ...recordFilter(pseudonym), sort: 'HEIGHT_DESC', ...(after === undefined ? {} : { after }) });
        const unknown = page.items.filter((item) => !known.has(item.id));
        // A pending item (no block yet) is the newest.
        fresh.push(...unknown.map((item) => ({ id: item.id, height: item.height ?? Number.POSITIVE_INFINITY })));
        const last = page.items.at(-1);
        if (unknown.length === 0 || !page.hasNextPage || !last) break;
        after = last.cursor;
      }
      // Oldest first, as they were written: by block, and within one block (one bundle) in the
      // order the gateway lists it, which is the bundle's (a stable sort keeps it).
      return read(unique(fresh.sort((a, b) => (a.height === b.height ? 0 : a.height - b.height)).map((item) => item.id)));
    },
  };
}
