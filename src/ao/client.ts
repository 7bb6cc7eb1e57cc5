/**
 * A typed wrapper over unmodified aoconnect in legacy mode (MU + CU + gateway URLs). It works
 * the same against the embedded node and a public AO network. Failures are classified from
 * the HTTP exchange itself: the unit answered no (RemoteRefusedError) or could not be
 * reached (UnreachableError); aoconnect's own error text is kept as the cause.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { connect } from '@permaweb/aoconnect';
import { threadpoolSign } from '../arweave/threadpool-signer.js';
import { walletAddress, type JWKInterface } from '../arweave/wallet.js';
import { RemoteRefusedError, UnreachableError } from '../errors.js';
import type { Tag } from '../arweave/tag.js';
import type { OutboxMessage } from './protocol.js';


export interface AoResult {
  Output?: unknown;
  Messages?: OutboxMessage[];
  Spawns?: OutboxMessage[];
  Assignments?: unknown[];
  Error?: unknown;
  GasUsed?: number;
}

export interface AoResultsPage {
  edges: Array<{ cursor: string; node: AoResult }>;
}

export interface AoClient {
  spawn(input: { module: string; scheduler: string; tags?: Tag[]; data?: string }): Promise<string>;
  send(input: { process: string; tags?: Tag[]; data?: string }): Promise<string>;
  result(process: string, messageId: string): Promise<AoResult>;
  results(process: string, opts?: { from?: string; to?: string; sort?: 'ASC' | 'DESC'; limit?: number }): Promise<AoResultsPage>;
  dryrun(input: { process: string; tags?: Tag[]; data?: string; owner?: string; id?: string }): Promise<AoResult>;
}

export interface AoClientOptions {
  muUrl: string;
  cuUrl: string;
  gatewayUrl: string;
  wallet: JWKInterface;
  /** Bearer token the MU and CU ask for (the embedded node's); never sent to the gateway. */
  token?: string;
  fetch?: typeof fetch;
}

/** What aoconnect's `create` is given to build the bytes to sign (its signer protocol). */
type CreateDataToSign = (injected: { publicKey: Uint8Array; type: number; alg: string }) => Promise<Uint8Array>;

/**
 * An aoconnect signer whose RSA signature runs on the thread pool. aoconnect's own
 * createDataItemSigner signs synchronously on the event loop (~8 ms per message, three per
 * turn), which held every other turn's stream and poll meanwhile.
 */
export function threadpoolAoSigner(wallet: JWKInterface) {
  const sign = threadpoolSign(wallet);
  const publicKey = new Uint8Array(Buffer.from(wallet.n, 'base64url'));
  const address = walletAddress(wallet);
  return async (create: CreateDataToSign) => {
    const message = await create({ publicKey, type: 1, alg: 'rsa-pss-sha256' });
    return { signature: await sign(message), address: await address };
  };
}

/** The request's headers with `Authorization: Bearer <token>` added. */
function withBearer(input: Parameters<typeof fetch>[0], init: RequestInit | undefined, token: string): RequestInit {
  const headers = new Headers(input instanceof Request ? input.headers : undefined);
  new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
  headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

/** The part of aoconnect's legacy API used here (its typings are loose `any`). */
interface LegacyAo {
  spawn(args: { module: string; scheduler: string; signer: unknown; tags: Tag[]; data?: string }): Promise<string>;
  message(args: { process: string; signer: unknown; tags: Tag[]; data?: string }): Promise<string>;
  result(args: { process: string; message: string }): Promise<unknown>;
  results(args: { process: string; from?: string; to?: string; sort?: 'ASC' | 'DESC'; limit?: number }): Promise<unknown>;
  dryrun(args: { process: string; tags: Tag[]; data?: string; Owner?: string; Id?: string }): Promise<unknown>;
}

const SERVICE = 'ao';

/** The first failed HTTP exchange of one client call. */
interface CallContext {
  failure?: UnreachableError | { status: number; detail: string };
}

function errorBody(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'string' ? error : error === undefined ? undefined : JSON.stringify(error);
}

export function createAoClient(opts: AoClientOptions): AoClient {
  const baseFetch = opts.fetch ?? fetch;
  // Each call records the first failed HTTP exchange it made, so the error can say which kind.
  const calls = new AsyncLocalStorage<CallContext>();
  const trackingFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const context = calls.getStore();
    const toUnit = opts.token !== undefined && (url.startsWith(opts.muUrl) || url.startsWith(opts.cuUrl));
    let response: Response;
    try {
      response = await baseFetch(input, toUnit && opts.token !== undefined ? withBearer(input, init, opts.token) : init);
    } catch (error) {
      const failure = new UnreachableError(SERVICE, url.split('?')[0] ?? url, { cause: error, hint: 'is the AO node (or the MU/CU) running at this URL?' });
      if (context && !context.failure) context.failure = failure;
      throw failure;
    }
    if (!response.ok && context && !context.failure) {
      const text = await response.clone().text().catch(() => '');
      context.failure = { status: response.status, detail: `${new URL(url).pathname}: ${errorBody(safeJson(text)) ?? text.slice(0, 300)}` };
    }
    return response;
  };
  // `fetch` is a documented connect() option its typings omit; passing a variable skips the excess-property check.
  const settings = { MODE: 'legacy' as const, MU_URL: opts.muUrl, CU_URL: opts.cuUrl, GATEWAY_URL: opts.gatewayUrl, fetch: trackingFetch };
  // aoconnect's API methods are typed loosely (`any` arguments); narrow them to what we call.
  const ao = connect(settings) as unknown as LegacyAo;
  const signer = threadpoolAoSigner(opts.wallet);

  async function call<T>(what: string, run: () => Promise<unknown>, check: (value: unknown) => T): Promise<T> {
    const context: CallContext = {};
    let value: unknown;
    try {
      value = await calls.run(context, run);
    } catch (error) {
      const failure = context.failure;
      if (failure instanceof UnreachableError) throw failure;
      if (failure) throw new RemoteRefusedError(SERVICE, failure.status, `${what}: ${failure.detail}`, { cause: error });
      throw new RemoteRefusedError(SERVICE, 0, `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const failure = context.failure;
    if (failure instanceof UnreachableError) throw failure;
    if (failure) throw new RemoteRefusedError(SERVICE, failure.status, `${what}: ${failure.detail}`);
    const refused = errorBody(value);
    if (refused !== undefined) throw new RemoteRefusedError(SERVICE, 200, `${what}: ${refused}`);
    return check(value);
  }

  const asResult = (value: unknown): AoResult => (typeof value === 'object' && value !== null ? (value as AoResult) : {});
  const asString = (value: unknown): string => {
    if (typeof value !== 'string') throw new RemoteRefusedError(SERVICE, 0, 'the unit answered without an id');
    return value;
  };
  const asPage = (value: unknown): AoResultsPage => {
    const edges = typeof value === 'object' && value !== null ? (value as { edges?: unknown }).edges : undefined;
    if (!Array.isArray(edges)) throw new RemoteRefusedError(SERVICE, 0, 'results: the CU answered without edges');
    return { edges: edges as AoResultsPage['edges'] };
  };

  return {
    spawn: (input) =>
      call('spawn', () => ao.spawn({ module: input.module, scheduler: input.scheduler, signer, tags: input.tags ?? [], ...(input.data === undefined ? {} : { data: input.data }) }), asString),
    send: (input) => call('message', () => ao.message({ process: input.process, signer, tags: input.tags ?? [], ...(input.data === undefined ? {} : { data: input.data }) }), asString),
    result: (process, messageId) => call('result', () => ao.result({ process, message: messageId }), asResult),
    results: (process, opts = {}) => call('results', () => ao.results({ process, ...opts }), asPage),
    dryrun: (input) =>
      call(
        'dryrun',
        () =>
          ao.dryrun({
            process: input.process,
            tags: input.tags ?? [],
            ...(input.data === undefined ? {} : { data: input.data }),
            ...(input.owner ? { Owner: input.owner } : {}),
            ...(input.id ? { Id: input.id } : {}),
          }),
        asResult,
      ),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
