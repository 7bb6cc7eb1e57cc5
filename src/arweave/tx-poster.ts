/** Signs and posts one Arweave transaction (plain data or a bundle), mining it on arlocal. */
import type Arweave from 'arweave';
import { ARWEAVE_SERVICE, type GatewayHttp } from './gateway-http.js';
import type { JWKInterface } from './wallet.js';
import { RemoteRefusedError } from '../errors.js';

export type Transaction = Awaited<ReturnType<Arweave['createTransaction']>>;

export interface TxPosterDeps {
  arweave: Arweave;
  wallet: JWKInterface;
  http: GatewayHttp;
  local: boolean;
}

async function postOnce(deps: TxPosterDeps, tx: Transaction): Promise<string> {
  await deps.arweave.transactions.sign(tx, deps.wallet);
  let response: { status: number; statusText: string; data: unknown };
  try {
    if (deps.local) {
      // Data in the body, whatever its size: arlocal's chunked-upload path can crash its host
      // process (an unhandled rejection in its chunk poller) when it is stopped mid-upload.
      const answer = await deps.http.request('/tx', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tx.toJSON()) });
      response = { status: answer.status, statusText: answer.statusText, data: await answer.text() };
    } else {
      response = await deps.arweave.transactions.post(tx);
    }
  } catch (error) {
    if (error instanceof RemoteRefusedError) throw error;
    throw deps.http.unreachable(error);
  }
  // 208: already known — posting the same signed bytes again is harmless.
  if (response.status !== 200 && response.status !== 202 && response.status !== 208) {
    throw new RemoteRefusedError(ARWEAVE_SERVICE, response.status, `post tx: ${JSON.stringify(response.data).slice(0, 200)}`);
  }
  if (deps.local) await deps.http.request('/mine');
  return tx.id;
}

/** Returns postTransaction: signs, posts, and answers the transaction's id. */
export function txPosterWith(deps: TxPosterDeps): (tx: Transaction) => Promise<string> {
  // arlocal keys a transaction's chunks by the current block: two posts before one mine collide
  // (SQLITE_CONSTRAINT). Against arlocal, each post and its mine go one at a time.
  let serial: Promise<unknown> = Promise.resolve();
  return function postTransaction(tx) {
    if (!deps.local) return postOnce(deps, tx);
    const run = serial.then(() => postOnce(deps, tx));
    serial = run.catch(() => undefined);
    return run;
  };
}
