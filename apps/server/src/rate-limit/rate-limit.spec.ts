import { MemoryAddressRateLimiter } from './address-rate-limiter';
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
