/**
 * Per-connection message budget: `burst` messages at once, refilled at
 * `perSecond`. A browser's trickle ICE sends tens of candidates within a
 * second of joining, so the burst is generous and the steady rate is not.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  tryTake(): boolean {
    if (!this.hasToken()) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether a take would succeed now, without taking (to check several buckets before taking from any). */
  hasToken(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    return this.tokens >= 1;
  }
}

/** Signaling messages per connection. */
export const SOCKET_MESSAGE_BURST = 200;
export const SOCKET_MESSAGES_PER_SECOND = 50;

/**
 * Chat messages per connection, on top of the message budget: chat reaches
 * every screen in the room, so a person gets a few at once and one a second.
 */
export const CHAT_BURST = 5;
export const CHAT_PER_SECOND = 1;

/**
 * Quality samples per link (per other person) and connection, on top of the
 * message budget: a browser sends one every 10 s; a burst of 3 absorbs timer
 * drift and a resend after a reconnection.
 */
export const QUALITY_LINK_BURST = 3;
export const QUALITY_LINK_PER_SECOND = 1 / 10;
