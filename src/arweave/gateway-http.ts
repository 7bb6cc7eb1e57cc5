/**
 * The gateway's HTTP: one request that tells a gateway that answered no (RemoteRefusedError)
 * from one that could not be reached (UnreachableError).
 */
import { RemoteRefusedError, UnreachableError } from '../errors.js';

export const ARWEAVE_SERVICE = 'arweave';

export interface GatewayHttp {
  /** The gateway's base URL, without a trailing slash. */
  readonly url: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  /** The error for a gateway that could not be reached, with what to check. */
  unreachable(cause: unknown): UnreachableError;
}

export function createGatewayHttp(gatewayUrl: string, doFetch: typeof fetch): GatewayHttp {
  const url = gatewayUrl.replace(/\/$/, '');
  const unreachable = (cause: unknown) => new UnreachableError(ARWEAVE_SERVICE, url, { cause, hint: 'check ARWEAVE_URL and that the gateway is running' });
  return {
    url,
    unreachable,
    async request(path, init) {
      let response: Response;
      try {
        response = await doFetch(`${url}${path}`, init);
      } catch (error) {
        throw unreachable(error);
      }
      if (!response.ok) {
        const body = await response.text().catch(() => '');
        throw new RemoteRefusedError(ARWEAVE_SERVICE, response.status, `${path.split('?')[0]}: ${body.slice(0, 200)}`);
      }
      return response;
    },
  };
}
