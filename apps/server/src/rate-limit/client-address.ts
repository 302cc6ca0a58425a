import type { IncomingHttpHeaders } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Whether the hop at `address`, `hop` steps back from the socket, is a proxy we trust. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * Compiles TRUST_PROXY the way Express does (`true`, `false`, a hop count,
 * or addresses/subnets/`loopback`-style names for proxy-addr). The same
 * function goes to Express (`trust proxy`, hence `request.ip`) and to
 * clientAddress() for sockets, so REST and signaling limit the same address.
 * Throws on an address proxy-addr cannot parse.
 */
export function compileTrustProxy(setting: boolean | number | readonly string[]): TrustProxy {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile([...setting]);
}

/**
 * The client's address for per-address limits: the socket peer, or the
 * nearest X-Forwarded-For entry that is not a trusted proxy (anyone can send
 * that header, so only hops that `trust` accepts are looked through).
 */
export function clientAddress(headers: IncomingHttpHeaders, remoteAddress: string | undefined, trust: TrustProxy): string {
  if (!remoteAddress) return 'unknown';
  // proxy-addr reads only these two fields of the request.
  const request = { headers, socket: { remoteAddress }, connection: { remoteAddress } };
  return proxyaddr(request as unknown as Parameters<typeof proxyaddr>[0], trust);
}
