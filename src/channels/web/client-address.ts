/**
 * The address a request comes from, for per-address rate limits. Behind a reverse proxy every
 * connection comes from the proxy, so the proxy's X-Forwarded-For is believed — but only from
 * the proxies the operator named (TRUST_PROXY): anyone else could write any address there.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type ClientAddressOf = (req: IncomingMessage) => string;

/** `::ffff:10.0.0.1` (how a dual-stack socket reports IPv4) is 10.0.0.1. */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** `trusted`: addresses and networks (`10.0.0.0/8`) as TRUST_PROXY lists them. */
export function createClientAddress(trusted: string[]): ClientAddressOf {
  const proxies = new BlockList();
  for (const entry of trusted) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, Number(prefix), type);
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };

  return (req) => {
    const peer = plain(req.socket.remoteAddress ?? 'unknown');
    if (!isTrusted(peer)) return peer;
    // Each proxy appends the address it was connected from: reading from the right, the first
    // address that is not one of ours is the client (whatever is left of it, the client wrote).
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => plain(hop.trim()))
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      if (!isTrusted(hop)) return hop;
    }
    // Only proxies all the way: the left-most one is as close to the client as we can tell.
    return hops[0] ?? peer;
  };
}
