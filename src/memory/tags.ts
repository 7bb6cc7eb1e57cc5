/**
 * The tags of what the memory writes to Arweave. None carries plaintext: the user is a keyed
 * pseudonym, and records and snapshots differ only in `Record-Format`.
 */
import type { Tag } from '../arweave/tag.js';
import { CURRENT_VERSION } from './records.js';

export const APP_NAME = 'permachat';
/** One encrypted record (a turn, a fact, a reset, a forget). */
export const RECORD_FORMAT = String(CURRENT_VERSION);
/** One encrypted snapshot segment: many records of one user in one item (see snapshots.ts). */
export const SNAPSHOT_FORMAT = 'snapshot-1';

const tagged = (format: string, pseudonym: string): Tag[] => [
  { name: 'App-Name', value: APP_NAME },
  { name: 'Record-Format', value: format },
  { name: 'User', value: pseudonym },
  { name: 'Content-Type', value: 'application/octet-stream' },
];

export const memoryTags = (pseudonym: string) => tagged(RECORD_FORMAT, pseudonym);
export const snapshotTags = (pseudonym: string) => tagged(SNAPSHOT_FORMAT, pseudonym);
