/**
 * Test AR for arlocal: minted once per client before its first post. Against a real gateway
 * nothing is minted (the wallet must be funded).
 */
import { GATEWAY_TOKEN_HEADER, processGatewayToken } from './gateway-token.js';
import { ARWEAVE_SERVICE, type GatewayHttp } from './gateway-http.js';
import { RemoteRefusedError } from '../errors.js';

export interface LocalFundsDeps {
  http: GatewayHttp;
  address: () => Promise<string>;
  local: boolean;
  adminToken?: string;
}

/** Returns ensureFunds: mints on the first call against arlocal, then does nothing. */
export function localFundsWith(deps: LocalFundsDeps): () => Promise<void> {
  let funded = false;
  return async function ensureFunds() {
    if (!deps.local || funded) return;
    try {
      // Only this request carries the token: the others need none, and ARWEAVE_URL may name a gateway of another process.
      await deps.http.request(`/mint/${await deps.address()}/1000000000000000`, { headers: { [GATEWAY_TOKEN_HEADER]: deps.adminToken ?? processGatewayToken } });
    } catch (error) {
      if (!(error instanceof RemoteRefusedError) || error.status !== 403) throw error;
      throw new RemoteRefusedError(ARWEAVE_SERVICE, 403, 'minting test AR for this wallet was refused', {
        cause: error,
        hint: `${deps.http.url} is the embedded gateway of another permachat process, which alone may mint there: unset ARWEAVE_URL (this process then runs its own), or use a gateway where ARWEAVE_WALLET is funded`,
      });
    }
    funded = true;
  };
}
