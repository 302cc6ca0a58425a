import type { IncomingHttpHeaders } from 'node:http';

/**
 * The client's address for per-address limits. X-Forwarded-For is honoured
 * only when the operator said a proxy sits in front (TRUST_PROXY), since
 * anyone can send that header: `true` trusts the leftmost entry, a number N
 * takes the address N hops back from the socket.
 */
export function clientAddress(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  trustProxy: boolean | number,
): string {
  const remote = remoteAddress ?? 'unknown';
  if (trustProxy === false) return remote;
  const header = headers['x-forwarded-for'];
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  const chain = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (chain.length === 0) return remote;
  if (trustProxy === true) return chain[0];
  // N trusted proxies: the socket peer and the last N-1 entries are proxies.
  const index = chain.length - trustProxy;
  return chain[Math.max(0, Math.min(chain.length - 1, index))];
}
