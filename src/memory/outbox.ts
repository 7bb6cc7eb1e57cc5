/**
 * The durable outbox between a turn and Arweave. An item is a signed ANS-104 data item
 * (already encrypted), written to its own file with fsync before the turn is acknowledged.
 * A drainer posts pending items in bundles and deletes them once posted. Because an item's
 * id is fixed when it is signed, a retry after a crash re-sends the same item; items already
 * on Arweave are skipped, so nothing is written twice.
 */
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isWholeItem, type ArweaveClient, type SignedItem } from '../arweave/client.js';
import { describeError } from '../errors.js';
import { writeDurably } from '../fs/durable-file.js';
import type { Logger } from '../logger.js';

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
  await mkdir(deps.dir, { recursive: true });
  const batchSize = deps.batchSize ?? 100;
  const batchDelayMs = deps.batchDelayMs ?? 50;
  const maxBackoffMs = deps.maxBackoffMs ?? 30_000;
  let sequence = Date.now() * 1000;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let backoff = 0;
  let closed = false;
  const counters = { posted: 0, bundles: 0, failures: 0 };
  const idle: Array<() => void> = [];

  // Items added but whose caller has not finished with them yet (see add): not sent until then.
  const settling = new Set<string>();
  const files = async () => (await readdir(deps.dir)).filter((f) => f.endsWith('.item')).sort();
  const sendable = async () => (await files()).filter((f) => !settling.has(f));
  const itemOf = async (file: string): Promise<SignedItem> => ({
    id: file.slice(file.indexOf('-') + 1, -'.item'.length),
    raw: new Uint8Array(await readFile(path.join(deps.dir, file))),
  });
  /** Like itemOf, but undefined for a file the drainer deleted after it was listed. */
  const itemIfStill = (file: string) =>
    itemOf(file).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
  const present = (items: Array<SignedItem | undefined>) => items.filter((item): item is SignedItem => item !== undefined);

  async function alreadyOnArweave(ids: string[]): Promise<Set<string>> {
    const found = await deps.arweave.query({ tags: [], ids, first: ids.length });
    return new Set(found.items.map((item) => item.id));
  }

  async function setAside(damaged: string[]): Promise<void> {
    const aside = path.join(deps.dir, 'unreadable');
    await mkdir(aside, { recursive: true });
    for (const file of damaged) {
      await rename(path.join(deps.dir, file), path.join(aside, file));
      deps.logger.warn(`memory outbox: ${file} is not a whole data item; moved to ${aside} and skipped`);
    }
  }

  async function drainOnce(): Promise<void> {
    const pending = (await sendable()).slice(0, batchSize);
    if (pending.length === 0) return;
    const read = await Promise.all(pending.map(async (file) => ({ file, item: await itemOf(file) })));
    // A damaged file (the disk, not a crash: files appear whole by rename) would fail every
    // bundle it joins and hold back everything behind it; it is set aside, kept for inspection.
    const items: typeof read = [];
    const damaged: string[] = [];
    for (const entry of read) {
      if (isWholeItem(entry.item)) items.push(entry);
      else damaged.push(entry.file);
    }
    if (damaged.length > 0) await setAside(damaged);
    if (items.length === 0) return;
    // After a crash between posting and deleting, some may be there already.
    const known = await alreadyOnArweave(items.map(({ item }) => item.id));
    const fresh = items.filter(({ item }) => !known.has(item.id));
    if (fresh.length > 0) {
      await deps.arweave.postBundle(fresh.map(({ item }) => item));
      counters.bundles += 1;
      counters.posted += fresh.length;
    }
    await deps.beforeRemoving?.();
    await Promise.all(items.map(({ file }) => unlink(path.join(deps.dir, file)).catch(() => undefined)));
  }

  async function drain(): Promise<void> {
    try {
      while (!closed && (await sendable()).length > 0) {
        await drainOnce();
        backoff = 0;
      }
      for (const resolve of idle.splice(0)) resolve();
    } catch (error) {
      counters.failures += 1;
      backoff = Math.min(maxBackoffMs, backoff ? backoff * 2 : 500);
      deps.logger.warn(`memory outbox: could not reach Arweave, retrying in ${backoff} ms (${describeError(error)}); nothing is lost`);
      schedule(backoff);
    }
  }

  function schedule(delay: number): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      draining ??= drain().finally(() => {
        draining = undefined;
      });
    }, delay);
  }

  // Items left by an earlier run are adopted by the caller, then sent first.
  const leftover = await Promise.all((await files()).map(itemOf));
  await deps.adopt?.(leftover);
  if (leftover.length > 0) schedule(0);

  return {
    async add(item, beforeSending) {
      sequence += 1;
      const file = `${String(sequence).padStart(20, '0')}-${item.id}.item`;
      settling.add(file);
      try {
        await writeDurably(path.join(deps.dir, file), item.raw);
        await beforeSending?.();
      } finally {
        settling.delete(file);
      }
      schedule(batchDelayMs);
    },
    pending: async () => (await files()).length,
    pendingItems: async () => present(await Promise.all((await files()).map(itemIfStill))),
    async flush(timeoutMs) {
      if ((await files()).length === 0) return true;
      schedule(0);
      let timeout: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        new Promise<boolean>((resolve) => idle.push(() => resolve(true))),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timeout);
      return done && (await files()).length === 0;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await draining;
    },
    stats: () => ({ ...counters }),
  };
}
