/** Shapes shared by the embedded AO node's parts (MU, SU, CU, log, delivery). */
import type { ArweaveClient } from '../../arweave/client.js';
import type { JWKInterface } from '../../arweave/wallet.js';
import type { Cipher } from '../../cipher.js';
import type { Logger } from '../../logger.js';
import type { Tag } from '../../arweave/tag.js';
import type { OutboxMessage } from '../protocol.js';


/** What a process evaluation hands back, as the CU serves it. */
export interface EvalResult {
  Output: unknown;
  Messages: OutboxMessage[];
  Spawns: OutboxMessage[];
  Assignments: unknown[];
  Error?: unknown;
  GasUsed?: number;
}


/** One scheduled message of a process: the plaintext inside a log record. */
export interface LogEntry {
  v: 1;
  process: string;
  slot: number;
  timestamp: number;
  blockHeight: number;
  hashChain: string;
  /** The accepted ANS-104 data item, base64. */
  item: string;
  /** Set on messages the node pushed itself: `<sender pid>:<source msg id>:<outbox index>`. */
  pushKey?: string;
  /** sha256 of the module binary, recorded on the spawn entry (slot 0). */
  moduleHash?: string;
  /** Signature (base64url) of the SU's Assignment for this slot; the item is rebuilt from it and the entry (assignment.ts). Absent in logs written before assignments. */
  assignmentSignature?: string;
}

export interface AoNodeDeps {
  dataDir: string;
  arweave: ArweaveClient;
  /** The node's own wallet: signs pushed messages and log records. */
  wallet: JWKInterface;
  /** Required when privateMode is true (the default). */
  /** Seals the persisted message log (private mode). */
  cipher?: Cipher;
  /** Keyed pseudonym of a process id, the only process reference written in private mode. */
  pseudonym?: (pid: string) => string;
  privateMode?: boolean;
  /** Module binaries known up front (module tx id → bytes); others are read from Arweave. */
  modules?: Map<string, Uint8Array>;
  logger?: Logger;
  /** Tag App-Name on log records; recovery reads records with the same value. */
  appName?: string;
  /** How long the uploader waits to batch log records into one bundle (ms). */
  uploadDelayMs?: number;
  /** Results kept in memory per process for /result and /results. */
  resultsPerProcess?: number;
  /** Evaluated messages between two local checkpoints of a process's memory (default 200). */
  checkpointEvery?: number;
}
