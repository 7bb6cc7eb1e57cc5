/** The Arweave port's vocabulary: tags, signed items, and the GraphQL query and its answer. */
import type { Tag } from './tag.js';

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
