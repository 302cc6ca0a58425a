import { Injectable } from '@nestjs/common';
import type { LeaveReason } from '@mesh-meet/protocol';
import { DepartureAnnouncer } from '../membership/departure-announcer';
import type { Member } from '../membership/membership.store';
import { Departures } from './departures.service';

/**
 * Departures for removals made outside a meeting step (the dead-node
 * sweeper): `peer-left` to each room, through the adapter to every process,
 * and the attendance row closed. Departures.announce never throws for one member.
 */
@Injectable()
export class RoomDepartureAnnouncer extends DepartureAnnouncer {
  constructor(private readonly departures: Departures) {
    super();
  }

  announce(members: Member[], reason: LeaveReason): Promise<void> {
    return this.departures.announceAll(members, reason);
  }
}
