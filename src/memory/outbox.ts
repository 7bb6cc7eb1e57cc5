/**
 * The durable outbox between a turn and Arweave. An item is a signed ANS-104 data item
 * (already encrypted), written to its own file with fsync before the turn is acknowledged.
 * A drainer posts pending items in bundles and deletes them once posted. Because an item's
 * id is fixed when it is signed, a retry after a crash re-sends the same item; items already
 * on Arweave are skipped, so nothing is written twice.
 */
import type { ArweaveClient, SignedItem } from '../arweave/client.js';
import type { Logger } from '../logger.js';
import { createOutboxDrainer } from './outbox-drainer.js';
import { openOutboxFolder } from './outbox-folder.js';

export interface Outbox {
  /**
   * Resolves once the item is durable on local disk and `beforeSending` (if any) has run: the
   * item is not sent before then, so what the caller records about it locally is written
   * while the item is still here to be found again after a crash.
   */
  add(item: SignedItem, beforeSending?: () => Promise<void>): Promise<void>;
  pending(): Promise<number>;
  /** The items not yet known to be on Arweave, oldest first (one sent meanwhile is left out). */
  pendingItems(): Promise<SignedItem[]>;
  /** Resolves when everything pending has reached Arweave, or false after the timeout. */
  flush(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
  stats(): { posted: number; bundles: number; failures: number };
}

export interface OutboxDeps {
  dir: string;
  arweave: ArweaveClient;
  logger: Logger;
  /** Most items per bundle. */
  batchSize?: number;
  /** Wait this long after an add so more items join the bundle. */
  batchDelayMs?: number;
  maxBackoffMs?: number;
  /**
   * Runs once a bundle is on Arweave, before its items are deleted here: what the caller wrote
   * locally about them (with `add`'s beforeSending) must be durable by then, since after the
   * deletion only Arweave holds them. A failure keeps the items and retries later.
   */
  beforeRemoving?: () => Promise<void>;
  /**
   * Runs at creation with the items an earlier run left here (a crash, an outage), before any
   * of them is sent: the caller can make its local records whole while the items are still here.
   */
  adopt?: (leftover: SignedItem[]) => Promise<void>;
}

export async function createOutbox(deps: OutboxDeps): Promise<Outbox> {
  const folder = await openOutboxFolder(deps.dir, deps.logger);
  const drainer = createOutboxDrainer({
    folder,
    arweave: deps.arweave,
    logger: deps.logger,
    batchSize: deps.batchSize ?? 100,
    maxBackoffMs: deps.maxBackoffMs ?? 30_000,
    beforeRemoving: deps.beforeRemoving,
  });
  const batchDelayMs = deps.batchDelayMs ?? 50;

  // Items left by an earlier run are adopted by the caller, then sent first.
  const leftover = await Promise.all((await folder.files()).map(folder.itemOf));
  await deps.adopt?.(leftover);
  if (leftover.length > 0) drainer.schedule(0);

  return {
    async add(item, beforeSending) {
      await folder.write(item, beforeSending);
      drainer.schedule(batchDelayMs);
    },
    pending: async () => (await folder.files()).length,
    pendingItems: async () => (await Promise.all((await folder.files()).map(folder.itemIfStill))).filter((item): item is SignedItem => item !== undefined),
    async flush(timeoutMs) {
      if ((await folder.files()).length === 0) return true;
      drainer.schedule(0);
      const done = await drainer.idle(timeoutMs);
      return done && (await folder.files()).length === 0;
    },
    close: () => drainer.close(),
    stats: () => drainer.stats(),
  };
}
