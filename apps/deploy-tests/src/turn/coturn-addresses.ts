import { isIPv4, isIPv6 } from 'node:net';

/** An address as coturn holds it: family and bytes (network order). */
export interface Address {
  family: 4 | 6;
  bytes: number[];
}

export function parseAddress(text: string): Address {
  if (isIPv4(text)) return { family: 4, bytes: text.split('.').map(Number) };
  if (!isIPv6(text)) throw new Error(`not an IP address: ${text}`);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((group) => {
      if (isIPv4(group)) {
        const [a, b, c, d] = group.split('.').map(Number);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(group, 16)];
    });
  };
  const left = groups(head);
  const right = groups(tail);
  const middle = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  const all = [...left, ...middle, ...right];
  return { family: 6, bytes: all.flatMap((group) => [group >> 8, group & 0xff]) };
}

const isAny = (address: Address) => address.bytes.every((byte) => byte === 0);

/**
 * coturn 4.6's addr_less_eq: different families order by family number
 * (AF_INET < AF_INET6); IPv4 compares as a number; IPv6 byte by byte, each
 * byte on its own (not lexicographically).
 */
function lessEq(a: Address, b: Address): boolean {
  if (a.family !== b.family) return a.family < b.family;
  if (a.family === 4) {
    const value = (x: Address) => x.bytes.reduce((sum, byte) => sum * 256 + byte, 0);
    return value(a) <= value(b);
  }
  return a.bytes.every((byte, index) => byte <= b.bytes[index]);
}

/** coturn 4.6's ioa_addr_in_range: an all-zero bound counts as no bound. */
export function coturnRangeHolds(range: { min: Address; max: Address }, address: Address): boolean {
  if (isAny(range.min) || lessEq(range.min, address)) {
    return isAny(range.max) || lessEq(address, range.max);
  }
  return false;
}

export function parseRange(text: string): { text: string; min: Address; max: Address } {
  const [min, max = min] = text.split('-');
  return { text, min: parseAddress(min), max: parseAddress(max) };
}
