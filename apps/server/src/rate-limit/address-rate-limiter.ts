import type { Redis } from 'ioredis';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fixed-window counters per client address, for room creation and joins: the
 * actions that fill the database or guess room ids. Shared through Redis when
 * there are several processes, so the limit is per address, not per process.
 */
export abstract class AddressRateLimiter {
  abstract hit(action: string, address: string, limit: number, windowMs: number): Promise<RateDecision>;
}

export class MemoryAddressRateLimiter extends AddressRateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async hit(action: string, address: string, limit: number, windowMs: number): Promise<RateDecision> {
    const now = this.now();
    this.sweep(now);
    const key = `${action}:${address}`;
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  /** Drops expired windows now and then, so many addresses cannot grow the map without bound. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/* KEYS[1] counter; ARGV[1] window ms. Returns {count, ms until reset}. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

export class RedisAddressRateLimiter extends AddressRateLimiter {
  private readonly redis: Redis & { mmRateHit(key: string, windowMs: number): Promise<[number, number]> };

  constructor(redis: Redis) {
    super();
    redis.defineCommand('mmRateHit', { numberOfKeys: 1, lua: HIT });
    this.redis = redis as RedisAddressRateLimiter['redis'];
  }

  async hit(action: string, address: string, limit: number, windowMs: number): Promise<RateDecision> {
    const [count, ttl] = await this.redis.mmRateHit(`mm:rate:${action}:${address}`, windowMs);
    if (count <= limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
  }
}
