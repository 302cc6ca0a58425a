import { Injectable } from '@nestjs/common';
import type { Access } from '@mesh-meet/protocol';
import { AttendanceService } from '../attendance/attendance.service';
import { AppLogger } from '../logging/app-logger';
import { MembershipStore } from '../membership/membership.store';
import { RoomsService } from '../rooms/rooms.service';
import { Departures } from './departures.service';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
import { MemberCheck } from './member-check.service';
import { hostChannel, meetingChannel, peerChannel, type SignalingSocket } from './socket-session';
import { WaitingRoomService } from './waiting-room.service';

/**
 * What only the host may do: choose who may come in (access mode, the
 * waiting room's answers), ask people to mute, remove someone, end the
 * meeting for everyone.
 */
@Injectable()
export class HostActionsService {
  constructor(
    private readonly store: MembershipStore,
    private readonly rooms: RoomsService,
    private readonly attendance: AttendanceService,
    private readonly channels: MeetingChannels,
    private readonly check: MemberCheck,
    private readonly departures: Departures,
    private readonly waiting: WaitingRoomService,
    private readonly logger: AppLogger,
  ) {}

  /**
   * Stored first, so every later join on any process is held to it; then the
   * room hears of it, and the waiting guests are let in (open) or turned away (locked).
   */
  async setAccess(socket: SignalingSocket, access: Access): Promise<void> {
    const session = await this.check.host(socket);
    await this.rooms.setAccess(session.roomId, access);
    this.channels.io.to(meetingChannel(session.roomId)).emit('room-updated', { access, locked: access === 'locked' });
    this.logger.info('room access changed', { roomId: session.roomId, access });
    if (access === 'open') await this.waiting.admitAll(session.roomId);
    if (access === 'locked') await this.waiting.turnAllAway(session.roomId, 'locked');
  }

  /** The older spelling of setAccess: locked, or open. */
  lock(socket: SignalingSocket, locked: boolean): Promise<void> {
    return this.setAccess(socket, locked ? 'locked' : 'open');
  }

  async admit(socket: SignalingSocket, requestId: string): Promise<void> {
    await this.waiting.admit(await this.check.host(socket), requestId);
  }

  async deny(socket: SignalingSocket, requestId: string): Promise<void> {
    await this.waiting.deny(await this.check.host(socket), requestId);
  }

  async admitAll(socket: SignalingSocket): Promise<void> {
    const session = await this.check.host(socket);
    await this.waiting.admitAll(session.roomId);
  }

  /**
   * Asks one member of the host's room to mute. Only a request: the guest's
   * client turns its own microphone off, and nothing can turn it back on but them.
   */
  async mute(socket: SignalingSocket, peerId: string): Promise<void> {
    const session = await this.check.host(socket);
    if (peerId === session.peerId) throw new MeetingError('FORBIDDEN', 'hosts mute their own microphone directly');
    if (!(await this.store.get(session.roomId, peerId))) throw new MeetingError('PEER_NOT_FOUND', 'no such peer in this room');
    this.channels.io.to(peerChannel(peerId)).emit('muted-by-host', { by: session.name });
    this.logger.info('participant asked to mute', { roomId: session.roomId, peerId });
  }

  /** Everyone in the host's room but the host. */
  async muteAll(socket: SignalingSocket): Promise<void> {
    const session = await this.check.host(socket);
    this.channels.io.to(meetingChannel(session.roomId)).except(peerChannel(session.peerId)).emit('muted-by-host', { by: session.name });
    this.logger.info('everyone asked to mute', { roomId: session.roomId });
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
      io.in(peerChannel(peerId)).socketsLeave([meetingChannel(session.roomId), hostChannel(session.roomId)]);
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
    io.in(channel).socketsLeave([channel, hostChannel(session.roomId)]);
    await this.waiting.turnAllAway(session.roomId, 'ended');
    await this.attendance.closeRoom(session.roomId, 'ended');
    this.logger.info('meeting ended', { roomId: session.roomId, participants: members.length });
  }
}
