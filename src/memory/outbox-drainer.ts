/**
 * Sends the outbox's items to Arweave in bundles, off the path that acknowledges a turn: items
 * already there (a crash between posting and deleting) are skipped, a failure backs off and
 * retries, and nothing is deleted before `beforeRemoving` has run.
 */
import { isWholeItem, type ArweaveClient, type SignedItem } from '../arweave/client.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OutboxFolder } from './outbox-folder.js';

export interface OutboxDrainerDeps {
  folder: OutboxFolder;
  arweave: ArweaveClient;
  logger: Logger;
  batchSize: number;
  maxBackoffMs: number;
  beforeRemoving?: () => Promise<void>;
}

export interface OutboxCounters {
  posted: number;
  bundles: number;
  failures: number;
}

export interface OutboxDrainer {
  /** Drains after `delay` ms, unless a drain is already due. */
  schedule(delay: number): void;
  /** Resolves true once a drain leaves nothing sendable, or false after the timeout. */
  idle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
  stats(): OutboxCounters;
}

async function alreadyOnArweave(arweave: ArweaveClient, ids: string[]): Promise<Set<string>> {
  const found = await arweave.query({ tags: [], ids, first: ids.length });
  return new Set(found.items.map((item) => item.id));
}

/** Reads the files; a damaged one (the disk, not a crash: files appear whole by rename) is set aside. */
async function wholeItems(folder: OutboxFolder, pending: string[]): Promise<Array<{ file: string; item: SignedItem }>> {
  const read = await Promise.all(pending.map(async (file) => ({ file, item: await folder.itemOf(file) })));
  // A damaged file would fail every bundle it joins and hold back everything behind it; it is kept for inspection.
  const items: typeof read = [];
  const damaged: string[] = [];
  for (const entry of read) {
    if (isWholeItem(entry.item)) items.push(entry);
    else damaged.push(entry.file);
  }
  if (damaged.length > 0) await folder.setAside(damaged);
  return items;
}

/** Sends one bundle of the oldest sendable items (those already on Arweave are not sent again), then deletes them. */
async function drainOnce(deps: OutboxDrainerDeps, counters: OutboxCounters): Promise<void> {
  const pending = (await deps.folder.sendable()).slice(0, deps.batchSize);
  if (pending.length === 0) return;
  const items = await wholeItems(deps.folder, pending);
  if (items.length === 0) return;
  // After a crash between posting and deleting, some may be there already.
  const known = await alreadyOnArweave(deps.arweave, items.map(({ item }) => item.id));
  const fresh = items.filter(({ item }) => !known.has(item.id));
  if (fresh.length > 0) {
    await deps.arweave.postBundle(fresh.map(({ item }) => item));
    counters.bundles += 1;
    counters.posted += fresh.length;
  }
  await deps.beforeRemoving?.();
  await deps.folder.remove(items.map(({ file }) => file));
}

export function createOutboxDrainer(deps: OutboxDrainerDeps): OutboxDrainer {
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let backoff = 0;
  let closed = false;
  const counters: OutboxCounters = { posted: 0, bundles: 0, failures: 0 };
  const waiting: Array<() => void> = [];

  async function drain(): Promise<void> {
    try {
      while (!closed && (await deps.folder.sendable()).length > 0) {
        await drainOnce(deps, counters);
        backoff = 0;
      }
      for (const resolve of waiting.splice(0)) resolve();
    } catch (error) {
      counters.failures += 1;
      backoff = Math.min(deps.maxBackoffMs, backoff ? backoff * 2 : 500);
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

  return {
    schedule,
    async idle(timeoutMs) {
      let timeout: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        new Promise<boolean>((resolve) => waiting.push(() => resolve(true))),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timeout);
      return done;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await draining;
    },
    stats: () => ({ ...counters }),
  };
}
