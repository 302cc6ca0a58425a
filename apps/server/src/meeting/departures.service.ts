import { Injectable } from '@nestjs/common';
import type { LeaveReason } from '@mesh-meet/protocol';
import { AttendanceService } from '../attendance/attendance.service';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import type { Member } from '../membership/membership.store';
import { MeetingChannels } from './meeting-channels.service';
import { meetingChannel } from './socket-session';
import { WaitingRoomService } from './waiting-room.service';

/**
 * Someone is out of a meeting: the others are told, and the attendance row is
 * closed; when it was the last host, the guests waiting to get in are told too.
 */
@Injectable()
export class Departures {
  constructor(
    private readonly channels: MeetingChannels,
    private readonly attendance: AttendanceService,
    private readonly waiting: WaitingRoomService,
    private readonly logger: AppLogger,
  ) {}

  async announce(member: Member, reason: LeaveReason): Promise<void> {
    this.channels.io.to(meetingChannel(member.roomId)).emit('peer-left', { peerId: member.peerId, reason });
    this.logger.info('left', { roomId: member.roomId, peerId: member.peerId, reason });
    if (member.role === 'host') await this.waiting.hostLeft(member.roomId);
    try {
      await this.attendance.close(member.participationId, reason);
    } catch (error) {
      // The row stays open; the next start of the process that opened it closes it.
      this.logger.warn('could not close attendance', {
        roomId: member.roomId,
        peerId: member.peerId,
        error: describeError(error),
      });
    }
  }

  /** Members the store already removed (crashed processes' members, a connection's previous seat). */
  async announceAll(members: Member[], reason: LeaveReason): Promise<void> {
    for (const member of members) await this.announce(member, reason);
  }
}
