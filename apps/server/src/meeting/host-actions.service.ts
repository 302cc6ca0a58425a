import { Injectable } from '@nestjs/common';
import { AttendanceService } from '../attendance/attendance.service';
import { AppLogger } from '../logging/app-logger';
import { MembershipStore } from '../membership/membership.store';
import { RoomsService } from '../rooms/rooms.service';
import { Departures } from './departures.service';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
import { MemberCheck } from './member-check.service';
import { meetingChannel, peerChannel, type SignalingSocket } from './socket-session';

/** What only the host may do: lock the room, remove someone, end the meeting for everyone. */
@Injectable()
export class HostActionsService {
  constructor(
    private readonly store: MembershipStore,
    private readonly rooms: RoomsService,
    private readonly attendance: AttendanceService,
    private readonly channels: MeetingChannels,
    private readonly check: MemberCheck,
    private readonly departures: Departures,
    private readonly logger: AppLogger,
  ) {}

  async lock(socket: SignalingSocket, locked: boolean): Promise<void> {
    const session = await this.check.host(socket);
    await this.rooms.setLocked(session.roomId, locked);
    this.channels.io.to(meetingChannel(session.roomId)).emit('room-updated', { locked });
    this.logger.info('room lock changed', { roomId: session.roomId, locked });
  }

  async remove(socket: SignalingSocket, peerId: string): Promise<void> {
    const session = await this.check.host(socket);
    if (peerId === session.peerId) throw new MeetingError('FORBIDDEN', 'hosts leave instead of removing themselves');
    const removed = await this.store.remove(session.roomId, peerId);
    if (!removed) throw new MeetingError('PEER_NOT_FOUND', 'no such peer in this room');
    try {
      // The closed row is what keeps them out (AdmissionService): written before they hear of
      // it, so a rejoin at once is refused too. Failing, the host hears UNAVAILABLE: the
      // person is out now but could come back.
      await this.attendance.close(removed.participationId, 'removed');
    } finally {
      // Tell them first, then take them out of the room's channel, so they hear nothing more of it.
      const io = this.channels.io;
      io.to(peerChannel(peerId)).emit('removed', { by: 'host' });
      io.in(peerChannel(peerId)).socketsLeave(meetingChannel(session.roomId));
      await this.departures.announce(removed, 'removed');
    }
    this.logger.info('participant removed', { roomId: session.roomId, peerId });
  }

  async end(socket: SignalingSocket): Promise<void> {
    const session = await this.check.host(socket);
    await this.rooms.end(session.roomId);
    const members = await this.store.clear(session.roomId);
    const channel = meetingChannel(session.roomId);
    const io = this.channels.io;
    io.to(channel).emit('room-ended', { by: 'host' });
    io.in(channel).socketsLeave(channel);
    await this.attendance.closeRoom(session.roomId, 'ended');
    this.logger.info('meeting ended', { roomId: session.roomId, participants: members.length });
  }
}
