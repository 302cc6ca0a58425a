import { MemoryAddressRateLimiter } from './address-rate-limiter';
import { clientAddress } from './client-address';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, refuses past it, and refills with time', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    now = 500; // half a second at 2/s: one token back
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
  });
});

describe('MemoryAddressRateLimiter', () => {
  it('counts per action and address within a window and tells when to retry', async () => {
    let now = 0;
    const limiter = new MemoryAddressRateLimiter(() => now);
    expect(await limiter.hit('create', '1.1.1.1', 2, 60_000)).toEqual({ allowed: true });
    expect(await limiter.hit('create', '1.1.1.1', 2, 60_000)).toEqual({ allowed: true });
    expect(await limiter.hit('create', '1.1.1.1', 2, 60_000)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(await limiter.hit('create', '2.2.2.2', 2, 60_000)).toEqual({ allowed: true });
    expect(await limiter.hit('join', '1.1.1.1', 2, 60_000)).toEqual({ allowed: true });
    now = 60_000;
    expect(await limiter.hit('create', '1.1.1.1', 2, 60_000)).toEqual({ allowed: true });
  });
});

describe('clientAddress', () => {
  const headers = { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' };
  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(clientAddress(headers, '10.0.0.3', false)).toBe('10.0.0.3');
  });
  it('takes the leftmost entry when every proxy is trusted', () => {
    expect(clientAddress(headers, '10.0.0.3', true)).toBe('203.0.113.9');
  });
  it('counts hops when a number of proxies is trusted', () => {
    expect(clientAddress(headers, '10.0.0.3', 1)).toBe('10.0.0.2');
    expect(clientAddress(headers, '10.0.0.3', 2)).toBe('203.0.113.9');
  });
  it('falls back to the socket address without the header', () => {
    expect(clientAddress({}, '10.0.0.3', true)).toBe('10.0.0.3');
  });
});
