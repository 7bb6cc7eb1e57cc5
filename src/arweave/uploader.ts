/**
 * How signed data items reach Arweave. `bundle`: in an ANS-104 bundle posted as a layer-1
 * transaction paid from the wallet (what arlocal and a private gateway take). `turbo`: one HTTP
 * POST per item to a bundling service (ArDrive's Turbo: `POST <url>/v1/tx/arweave`, the signed
 * item as the body), which pays the layer-1 cost, lists the item at once on the gateways it feeds,
 * and charges little or nothing for small items. Either way an item's id is fixed when it is
 * signed, so posting it again after a crash or an outage changes nothing.
 */
import { mapLimited } from '../concurrency.js';
import { RemoteRefusedError, UnreachableError } from '../errors.js';
import type { ArweaveClient, SignedItem } from './client.js';

export type UploaderKind = 'bundle' | 'turbo';

export interface Uploader {
  readonly kind: UploaderKind;
  /** Resolves once the service holds every item. */
  upload(items: SignedItem[]): Promise<void>;
}

export function bundleUploader(client: ArweaveClient): Uploader {
  return {
    kind: 'bundle',
    async upload(items) {
      if (items.length > 0) await client.postBundle(items);
    },
  };
}

const SERVICE = 'turbo';
const UPLOADS_AT_ONCE = 4;

/** Why the service said no, in the words an operator acts on. */
function refusal(status: number, body: string): string {
  const said = body.trim().slice(0, 200) || 'no reason given';
  if (status === 402) return `unpaid: the wallet has no credits for an item this size (${said})`;
  if (status === 413) return `too large (${said})`;
  if (status === 400) return `the item is malformed or its signature does not verify (${said})`;
  return said;
}

/** Ids the service accepted lately: a batch retried after one item failed skips those. */
const REMEMBERED_ACCEPTED = 10_000;

export function turboUploader(opts: { url: string; fetch?: typeof fetch }): Uploader {
  const endpoint = `${opts.url.replace(/\/$/, '')}/v1/tx/arweave`;
  const send = opts.fetch ?? fetch;
  const accepted = new Set<string>();

  async function uploadOne(item: SignedItem): Promise<void> {
    let response: Response;
    try {
      response = await send(endpoint, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: item.raw, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      throw new UnreachableError(SERVICE, endpoint, { cause: error, hint: 'the items stay queued and are sent again; check TURBO_UPLOAD_URL and the network' });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      throw new RemoteRefusedError(SERVICE, response.status, refusal(response.status, text), {
        hint: response.status >= 500 ? 'the service is failing: the items stay queued and are sent again' : 'the items stay queued; fix the cause (fund the wallet with Turbo credits, or use ARWEAVE_UPLOAD=bundle)',
      });
    }
    let id: unknown;
    try {
      id = (JSON.parse(text) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    if (id !== item.id) throw new RemoteRefusedError(SERVICE, response.status, `accepted item ${item.id} but answered with id ${String(id)}`, { hint: 'is TURBO_UPLOAD_URL a Turbo upload service?' });
    accepted.add(item.id);
    if (accepted.size > REMEMBERED_ACCEPTED) accepted.delete(accepted.values().next().value as string);
  }

  return {
    kind: 'turbo',
    async upload(items) {
      // Every item is tried even when one fails, so a retry resends only what is missing.
      const settled = await mapLimited(items.filter((item) => !accepted.has(item.id)), UPLOADS_AT_ONCE, (item) => uploadOne(item).then(() => undefined, (error: unknown) => error));
      const failure = settled.find((outcome) => outcome !== undefined);
      if (failure !== undefined) throw failure;
    },
  };
}

/**
 * The client with its writes going through `uploader`: bundles (memory, the AO log) and single
 * posts (deploy's modules, signed as items first). Reads stay with the gateway.
 */
export function withUploader(client: ArweaveClient, uploader: Uploader): ArweaveClient {
  if (uploader.kind === 'bundle') return client;
  return {
    ...client,
    url: client.url,
    async postBundle(items) {
      await uploader.upload(items);
      return items[0]?.id ?? '';
    },
    async post(data, tags) {
      const item = await client.signItem(data, tags);
      await uploader.upload([item]);
      return item.id;
    },
  };
}
