import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JoinSuccess, JoinWaiting, MediaState, PeerInfo, RoomSummary } from '@mesh-meet/protocol';
import { NO_MEDIA } from '@mesh-meet/protocol';
import { AttendanceService } from '../attendance/attendance.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { RoomEntity } from '../database/entities';
import { IdentityService } from '../identity/identity.service';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import { type Member, MembershipStore } from '../membership/membership.store';
import { MetricsService } from '../metrics/metrics.service';
import { AddressRateLimiter } from '../rate-limit/address-rate-limiter';
import { RoomsService } from '../rooms/rooms.service';
import { generatePeerId, generateResumeToken, hashSecret, secretMatches } from '../rooms/secrets';
import { IceServersService } from '../turn/ice-servers.service';
import { Departures } from './departures.service';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
import { PresenceService } from './presence.service';
import { meetingChannel, type SignalingSocket } from './socket-session';
import { WaitingRoomService } from './waiting-room.service';

export interface JoinInput {
  roomId: string;
  name: string;
  identity?: string;
  hostKey?: string;
  media?: MediaState;
  resume?: { peerId: string; token: string };
}

/**
 * Who may come in: the room must exist and not have ended, a host key must
 * match, someone the host removed stays out, a locked room takes only its
 * host, an `ask` room takes a guest only once the host admitted them (until
 * then the guest waits: WaitingRoomService), a full one nobody but its host. "Check capacity, then add" is one
 * step of the MembershipStore, so it holds across processes. The gateway runs
 * one socket's joins one at a time (inTurn).
 */
@Injectable()
export class AdmissionService {
  constructor(
    private readonly store: MembershipStore,
    private readonly rooms: RoomsService,
    private readonly attendance: AttendanceService,
    private readonly limiter: AddressRateLimiter,
    private readonly channels: MeetingChannels,
    private readonly presence: PresenceService,
    private readonly departures: Departures,
    private readonly ice: IceServersService,
    private readonly identities: IdentityService,
    private readonly waiting: WaitingRoomService,
    private readonly metrics: MetricsService,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG)
    private readonly config: Pick<AppConfig, 'maxParticipants' | 'nodeId' | 'rateLimits' | 'upstreamBudgetBps'>,
  ) {}

  async join(socket: SignalingSocket, input: JoinInput): Promise<JoinSuccess | JoinWaiting> {
    const rate = await this.limiter.hit('join', socket.data.address, this.config.rateLimits.joinPerMinute, 60_000);
    if (!rate.allowed) {
      throw new MeetingError('RATE_LIMITED', `too many joins; retry in ${rate.retryAfterSeconds} s`);
    }
    if (socket.data.session) await this.presence.leave(socket, 'left');
    // Waiting for another room: that request goes. For this room it stays, so asking again is the same request.
    if (socket.data.waiting && socket.data.waiting.roomId !== input.roomId) await this.waiting.withdraw(socket);

    const room = await this.rooms.find(input.roomId);
    if (!room) throw new MeetingError('ROOM_NOT_FOUND', 'no meeting has this code');
    if (room.endedAt) throw new MeetingError('ROOM_ENDED', 'this meeting has ended');
    const isHost = input.hostKey !== undefined && this.rooms.isHostKey(room, input.hostKey);
    if (input.hostKey !== undefined && !isHost) {
      throw new MeetingError('FORBIDDEN', 'the host key does not match this meeting');
    }
    if (input.resume) {
      const resumed = await this.resume(socket, room, input.resume);
      if (resumed) return resumed;
    }
    const identity = await this.identify(input.identity);
    // The host key outranks a removal: whoever holds it owns the meeting.
    if (!isHost && (await this.attendance.wasRemoved(room.id, identity.userId))) {
      throw new MeetingError('REMOVED', 'the host removed you from this meeting');
    }
    if (!isHost && room.access === 'locked') throw new MeetingError('ROOM_LOCKED', 'the host has locked this meeting');
    if (!isHost && room.access === 'ask' && !(await this.waiting.consumeAdmission(room.id, identity.userId))) {
      const asker = { userId: identity.userId, identityToken: identity.token, name: input.name };
      return this.waiting.ask(socket, room, asker, this.summary(room));
    }

    const role = isHost ? 'host' : 'guest';
    const resumeToken = generateResumeToken();
    const member: Member = {
      peerId: generatePeerId(),
      roomId: room.id,
      userId: identity.userId,
      name: input.name,
      role,
      media: input.media ?? NO_MEDIA,
      participationId: randomUUID(),
      nodeId: this.config.nodeId,
      connectionId: socket.id,
      resumeTokenHash: hashSecret(resumeToken),
      joinedAt: new Date().toISOString(),
    };
    const capacity = this.capacity(room);
    const admission = await this.store.admit(member, capacity, { bypassCapacity: isHost });
    await this.departures.announceAll(admission.stale, 'disconnected');
    await this.departures.announceAll(admission.released, 'left');
    if (!admission.admitted) {
      throw new MeetingError('ROOM_FULL', `this meeting is full (${capacity} people)`);
    }

    try {
      await this.attendance.open({
        id: member.participationId,
        roomId: room.id,
        userId: member.userId,
        peerId: member.peerId,
        name: member.name,
        role,
      });
    } catch (error) {
      // Without its attendance row the seat would be unrecorded: give it back.
      await this.store.remove(room.id, member.peerId);
      throw error;
    }

    await this.channels.bind(socket, member);
    socket.to(meetingChannel(room.id)).emit('peer-joined', toPeerInfo(member));
    await this.afterSeat(socket, room.id, isHost);
    this.metrics.joins.inc({ role });
    this.logger.info('joined', { roomId: room.id, peerId: member.peerId, role });
    return this.joinSuccess(room, member, identity.token, resumeToken, false, admission.others);
  }

  /**
   * The waiting room's part of a join that took a seat: a request this
   * connection still had (the room turned open meanwhile) is done, and a host
   * gets the waiting list. Not fatal: the seat is taken and its ack must
   * say so; the next change of the list reaches the host anyway.
   */
  private async afterSeat(socket: SignalingSocket, roomId: string, isHost: boolean): Promise<void> {
    try {
      await this.waiting.withdraw(socket);
      if (isHost) await this.waiting.greetHost(socket, roomId);
    } catch (error) {
      this.logger.warn('waiting room update after a join failed', { roomId, error: describeError(error) });
    }
  }

  /**
   * The server-issued identity a join presents, or a fresh one: a token the
   * server did not sign (forged, altered, another deployment's) is not an
   * error, it just does not make the browser anyone in particular.
   */
  private async identify(token: string | undefined): Promise<{ userId: string; token: string }> {
    const userId = token === undefined ? null : await this.identities.verify(token);
    if (userId && token) return { userId, token };
    return this.identities.issue();
  }

  /**
   * Takes a dropped member back on a new connection: same peer id, the others
   * are not told anything, so their peer connections (which do not depend on
   * the signaling socket) keep flowing. Null when there is nothing to resume.
   */
  private async resume(
    socket: SignalingSocket,
    room: RoomEntity,
    resume: { peerId: string; token: string },
  ): Promise<JoinSuccess | null> {
    const previous = await this.store.get(room.id, resume.peerId);
    if (!previous || !secretMatches(resume.token, previous.resumeTokenHash)) return null;
    const member = await this.store.rebind(room.id, resume.peerId, socket.id, this.config.nodeId);
    if (!member) return null;
    this.presence.resumed(member.peerId);
    if (previous.nodeId !== member.nodeId) await this.moveAttendance(member);
    await this.channels.bind(socket, member);
    const others = (await this.store.list(room.id)).filter((other) => other.peerId !== member.peerId);
    this.logger.info('resumed', { roomId: room.id, peerId: member.peerId });
    const identity = await this.identities.tokenFor(member.userId);
    return this.joinSuccess(room, member, identity, resume.token, true, others);
  }

  /**
   * A resume onto this process from another: the open attendance row now
   * belongs here, so a restart of the other process does not close it. Not
   * fatal: that restart also skips rows whose member is still in the store.
   */
  private async moveAttendance(member: Member): Promise<void> {
    try {
      await this.attendance.moveToNode(member.participationId, member.nodeId);
    } catch (error) {
      this.logger.warn('could not move attendance to this node', { roomId: member.roomId, peerId: member.peerId, error: describeError(error) });
    }
  }

  /** The room's own limit, never above the operator's. */
  private capacity(room: RoomEntity): number {
    return Math.min(room.maxParticipants, this.config.maxParticipants);
  }

  private summary(room: RoomEntity): RoomSummary {
    return {
      roomId: room.id,
      name: room.name,
      access: room.access,
      locked: room.access === 'locked',
      maxParticipants: this.capacity(room),
    };
  }

  private joinSuccess(
    room: RoomEntity,
    member: Member,
    identity: string,
    resumeToken: string,
    resumed: boolean,
    others: Member[],
  ): JoinSuccess {
    return {
      ok: true,
      self: { peerId: member.peerId, role: member.role, userId: member.userId, identity, resumeToken, resumed },
      room: this.summary(room),
      peers: others.map(toPeerInfo),
      ...this.ice.forJoin(member.peerId),
      upstreamBudgetBps: this.config.upstreamBudgetBps,
    };
  }
}

function toPeerInfo(member: Member): PeerInfo {
  return { peerId: member.peerId, name: member.name, role: member.role, media: member.media };
}
