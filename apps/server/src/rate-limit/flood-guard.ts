/**
 * Refusals a connection may collect before it is closed: this many
 * RATE_LIMITED answers within the window. The message budget (200 at once,
 * 50 a second) already covers a browser's burst of ICE candidates; a client
 * that trips it once and backs off sees a handful of refusals. A hundred in
 * ten seconds means it ignores the answers (it sends at least 60 messages a
 * second for ten seconds, or floods chat), and every refused message still
 * costs this process a parse and an ack, time taken from other rooms' relay.
 */
export const FLOOD_REFUSALS = 100;
export const FLOOD_WINDOW_MS = 10_000;

/** Counts one connection's RATE_LIMITED refusals in fixed windows. */
export class FloodGuard {
  private windowStart: number;
  private count = 0;

  constructor(
    private readonly limit = FLOOD_REFUSALS,
    private readonly windowMs = FLOOD_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  /** Records one refusal; true once the connection has had `limit` of them within one window. */
  refused(): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    return this.count >= this.limit;
  }
}
