/** Membership heartbeat: other processes drop this one's members when it stops for this long. */
export const MEMBERSHIP_TTL_MS = 15_000;
/** A third of the TTL, so one late or lost beat does not make a live process look dead. */
export const MEMBERSHIP_BEAT_MS = 5_000;
/**
 * How often each process sweeps the members of dead ones. A process killed
 * right after its last beat is noticed TTL + this later at most: 17 s, inside
 * the 20 s in which the others must see its members leave.
 */
export const SWEEP_INTERVAL_MS = 2_000;
