/**
 * The AoClient over aoconnect's mainnet mode: one HyperBEAM node (AO_MU_URL) that schedules
 * with its scheduler device, pushes outboxes with its push device and evaluates our modules with
 * genesis-wasm. Every request is a signed ANS-104 item POSTed to a device path.
 *
 * Mainnet's `results` answers with the current slot only. The result watcher follows a process
 * by cursor, so `results` here reads the current slot and then each slot after the cursor by
 * number (`compute/results=<slot>`); cursors are slot numbers.
 */
import { connect } from '@permaweb/aoconnect';
import type { JWKInterface } from '../arweave/wallet.js';
import { RemoteRefusedError, UnreachableError } from '../errors.js';
import { threadpoolAoSigner, type AoClient, type AoResult, type AoResultsPage } from './client.js';
import { tagValue, type Tag } from '../arweave/tag.js';

export interface MainnetClientOptions {
  /** The HyperBEAM node. */
  url: string;
  wallet: JWKInterface;
}

/** The part of aoconnect's mainnet API used here (its typings are loose `any`). */
interface MainnetAo {
  spawn(args: { module: string; tags: Tag[]; data?: string; authority?: string }): Promise<unknown>;
  message(args: { process: string; tags: Tag[]; data?: string; returnMessageId: true }): Promise<unknown>;
  result(args: { process: string; message?: string; slot?: number }): Promise<unknown>;
  results(args: { process: string }): Promise<unknown>;
  dryrun(args: { process: string; tags: Tag[]; data?: string }): Promise<unknown>;
}

const SERVICE = 'ao (HyperBEAM)';
const PAGE = 100;

/** aoconnect's mainnet calls throw plain Errors; ao-core-libs names a failed fetch this way. */
const isUnreachable = (error: unknown) => error instanceof Error && /HTTP request failed|fetch failed|ECONNREFUSED/.test(error.message);

const asResult = (value: unknown): AoResult => (typeof value === 'object' && value !== null ? (value as AoResult) : {});

export function createMainnetClient(opts: MainnetClientOptions): AoClient & { schedulerAddress(): Promise<string> } {
  const aoSigner = threadpoolAoSigner(opts.wallet);
  // aoconnect types a signer as taking unknown arguments; it calls it with its create function.
  const signer = (...args: unknown[]) => aoSigner(args[0] as Parameters<typeof aoSigner>[0]);
  const clients = new Map<string, MainnetAo>();
  // The scheduler is a connect() setting in mainnet mode, not a spawn argument.
  const aoFor = (scheduler?: string): MainnetAo => {
    const key = scheduler ?? '';
    let ao = clients.get(key);
    if (!ao) {
      const settings = { MODE: 'mainnet' as const, URL: opts.url, signer, ...(scheduler ? { SCHEDULER: scheduler } : {}) };
      ao = connect(settings) as unknown as MainnetAo;
      clients.set(key, ao);
    }
    return ao;
  };

  async function call<T>(what: string, run: () => Promise<unknown>, check: (value: unknown) => T): Promise<T> {
    let value: unknown;
    try {
      value = await run();
    } catch (error) {
      if (isUnreachable(error)) throw new UnreachableError(SERVICE, opts.url, { cause: error, hint: 'is the HyperBEAM node at AO_MU_URL running and reachable?' });
      throw new RemoteRefusedError(SERVICE, 0, `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return check(value);
  }

  /** An id for what was spawned or sent; an Error in the answer is the node refusing it. */
  const idFrom = (what: string) => (value: unknown): string => {
    const failure = asResult(value).Error;
    if (failure) throw new RemoteRefusedError(SERVICE, 200, `${what}: ${JSON.stringify(failure)}`);
    const id = typeof value === 'string' ? value : typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || !id) throw new RemoteRefusedError(SERVICE, 0, 'the node answered without an id');
    return id;
  };

  async function currentSlot(process: string): Promise<{ slot: number; node: AoResult } | undefined> {
    const page = await call('results', () => aoFor().results({ process }), (value) => value as AoResultsPage);
    const edge = page.edges?.[0];
    if (!edge) return undefined;
    const slot = Number(String(edge.cursor).trim());
    if (!Number.isInteger(slot) || slot < 0) throw new RemoteRefusedError(SERVICE, 0, `results: the current slot "${edge.cursor}" is not a number`);
    return { slot, node: edge.node };
  }

  return {
    async schedulerAddress() {
      const response = await fetch(`${opts.url.replace(/\/$/, '')}/~meta@1.0/info/address`).catch((error: unknown) => {
        throw new UnreachableError(SERVICE, opts.url, { cause: error, hint: 'is the HyperBEAM node at AO_MU_URL running and reachable?' });
      });
      if (!response.ok) throw new RemoteRefusedError(SERVICE, response.status, 'the node did not say its scheduler address; set AO_SCHEDULER');
      return (await response.text()).trim();
    },
    spawn: (input) => {
      const authority = tagValue(input.tags, 'Authority');
      return call('spawn', () => aoFor(input.scheduler).spawn({ module: input.module, tags: input.tags ?? [], ...(input.data === undefined ? {} : { data: input.data }), ...(authority ? { authority } : {}) }), idFrom('spawn'));
    },
    send: (input) => call('message', () => aoFor().message({ process: input.process, tags: input.tags ?? [], ...(input.data === undefined ? {} : { data: input.data }), returnMessageId: true }), idFrom('message')),
    result: (process, messageId) => call('result', () => aoFor().result({ process, message: messageId }), asResult),
    async results(process, query = {}) {
      const head = await currentSlot(process);
      if (!head) return { edges: [] };
      if (query.sort === 'DESC') return { edges: [{ cursor: String(head.slot), node: head.node }] };
      const after = query.from === undefined ? -1 : Number(query.from);
      if (!Number.isInteger(after)) throw new RemoteRefusedError(SERVICE, 0, `results: cursor "${query.from}" is not a slot number`);
      const last = Math.min(head.slot, after + (query.limit ?? PAGE));
      const edges: AoResultsPage['edges'] = [];
      for (let slot = after + 1; slot <= last; slot++) {
        const node = slot === head.slot ? head.node : await call('result', () => aoFor().result({ process, slot }), asResult);
        edges.push({ cursor: String(slot), node });
      }
      return { edges };
    },
    dryrun: (input) => call('dryrun', () => aoFor().dryrun({ process: input.process, tags: input.tags ?? [], ...(input.data === undefined ? {} : { data: input.data }) }), asResult),
  };
}
