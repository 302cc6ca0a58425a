import type { LeaveReason } from '@mesh-meet/protocol';
import type { Member } from './membership.store';

/**
 * Tells a room that members the store already removed have gone (peer-left
 * to the room, attendance closed). The meeting layer implements it; whoever
 * removes members outside a meeting step (the dead-node sweeper) calls it.
 */
export abstract class DepartureAnnouncer {
  /** Must not throw for one member's failure; each member is announced once by whoever removed it. */
  abstract announce(members: Member[], reason: LeaveReason): Promise<void>;
}
