/**
 * How long after a link connects its `bandwidth` limitation is not believed.
 * A new connection's bandwidth estimate starts low (Chromium: 300 kbit/s) and
 * ramps up over its first seconds, and the browser reports our video as
 * limited by `bandwidth` meanwhile. Measured on loopback with three people on
 * a busy two-core machine: every guest saw "Your connection is limiting your
 * video" for 7-14 s after joining. Stepping down then, and saying so at the
 * start of every call, would be wrong; a network that really is narrow is
 * still noticed once the ramp is over.
 */
export const RAMP_UP_MS = 10_000;

/** When each link last became connected, to tell the estimate's ramp-up from a narrow network. */
export class ConnectionRampUp {
  private readonly connectedAt = new Map<string, number>();

  constructor(private readonly rampUpMs = RAMP_UP_MS) {}

  /**
   * One round: each link's health as of `now` (links missing here are
   * forgotten). Returns the links whose estimate has had its time to ramp up:
   * connected for at least the ramp-up, without a break (a reconnection
   * starts the ramp again, as the path may be a new one).
   */
  settled(healthByLink: ReadonlyMap<string, string>, now: number): Set<string> {
    for (const link of [...this.connectedAt.keys()]) {
      if (healthByLink.get(link) !== 'connected') this.connectedAt.delete(link);
    }
    const settled = new Set<string>();
    for (const [link, health] of healthByLink) {
      if (health !== 'connected') continue;
      const since = this.connectedAt.get(link) ?? now;
      this.connectedAt.set(link, since);
      if (now - since >= this.rampUpMs) settled.add(link);
    }
    return settled;
  }
}
