import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  ChatMessage,
  JoinSuccess,
  LeaveReason,
  MediaState,
  PeerInfo,
  SignalData,
} from '@mesh-meet/protocol';
import { NO_MEDIA } from '@mesh-meet/protocol';
import { AttendanceService } from '../attendance/attendance.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { describeError } from '../database/database.service';
import { AppLogger } from '../logging/app-logger';
import { type Member, MembershipStore } from '../membership/membership.store';
import { MetricsService } from '../metrics/metrics.service';
import { AddressRateLimiter } from '../rate-limit/address-rate-limiter';
import { RoomsService } from '../rooms/rooms.service';
import type { RoomEntity } from '../database/entities';
import { generatePeerId, generateResumeToken, hashSecret, secretMatches } from '../rooms/secrets';
import { iceServersFor } from '../turn/ice-servers';
import { SignalingError } from './signaling-error';
import {
  meetingChannel,
  peerChannel,
  type SignalingNamespace,
  type SignalingSocket,
  type SocketSession,
} from './socket-session';

export interface JoinInput {
  roomId: string;
  name: string;
  userId?: string;
  hostKey?: string;
  media?: MediaState;
  resume?: { peerId: string; token: string };
}

/**
 * The meeting rules behind the gateway: who may join, leave, be removed, and
 * what the others are told. Everything that must hold across server processes
 * goes through the MembershipStore and the database; the Socket.IO rooms only
 * carry messages.
 */
@Injectable()
export class MeetingService {
  private namespace: SignalingNamespace | undefined;
  /** Local sockets per room, only for the active-rooms metric. */
  private readonly localRooms = new Map<string, number>();
  /** Members whose connection dropped, removed unless they resume within the grace period. */
  private readonly pendingRemovals = new Map<string, { timer: NodeJS.Timeout; finish: () => Promise<void> }>();

  constructor(
    private readonly store: MembershipStore,
    private readonly rooms: RoomsService,
    private readonly attendance: AttendanceService,
    private readonly limiter: AddressRateLimiter,
    private readonly metrics: MetricsService,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG)
    private readonly config: Pick<
      AppConfig,
      'ice' | 'maxParticipants' | 'rateLimits' | 'reconnectGraceMs' | 'upstreamBudgetBps'
    >,
  ) {}

  attach(namespace: SignalingNamespace): void {
    this.namespace = namespace;
  }

  private get io(): SignalingNamespace {
    if (!this.namespace) throw new Error('MeetingService used before the gateway attached');
    return this.namespace;
  }

  async join(socket: SignalingSocket, input: JoinInput): Promise<JoinSuccess> {
    const rate = await this.limiter.hit('join', socket.data.address, this.config.rateLimits.joinPerMinute, 60_000);
    if (!rate.allowed) {
      throw new SignalingError('RATE_LIMITED', `too many joins; retry in ${rate.retryAfterSeconds} s`);
    }
    if (socket.data.session) await this.leave(socket, 'left');

    const room = await this.rooms.find(input.roomId);
    if (!room) throw new SignalingError('ROOM_NOT_FOUND', 'no meeting has this code');
    if (room.endedAt) throw new SignalingError('ROOM_ENDED', 'this meeting has ended');
    const isHost = input.hostKey !== undefined && this.rooms.isHostKey(room, input.hostKey);
    if (input.hostKey !== undefined && !isHost) {
      throw new SignalingError('FORBIDDEN', 'the host key does not match this meeting');
    }
    if (input.resume) {
      const resumed = await this.resume(socket, room, input.resume);
      if (resumed) return resumed;
    }
    if (room.locked && !isHost) throw new SignalingError('ROOM_LOCKED', 'the host has locked this meeting');

    const role = isHost ? 'host' : 'guest';
    const resumeToken = generateResumeToken();
    const member: Member = {
      peerId: generatePeerId(),
      roomId: room.id,
      userId: input.userId ?? randomUUID(),
      name: input.name,
      role,
      media: input.media ?? NO_MEDIA,
      participationId: randomUUID(),
      nodeId: this.attendance.nodeId,
      connectionId: socket.id,
      resumeTokenHash: hashSecret(resumeToken),
      joinedAt: new Date().toISOString(),
    };
    const capacity = Math.min(room.maxParticipants, this.config.maxParticipants);
    const admission = await this.store.admit(member, capacity);
    await this.dropStale(room.id, admission.stale);
    if (!admission.admitted) {
      throw new SignalingError('ROOM_FULL', `this meeting is full (${capacity} people)`);
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

    await this.bind(socket, member);
    socket.to(meetingChannel(room.id)).emit('peer-joined', toPeerInfo(member));
    this.metrics.joins.inc({ role });
    this.logger.info('joined', { roomId: room.id, peerId: member.peerId, role });
    return this.joinSuccess(room, member, resumeToken, false, admission.others);
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
    const member = await this.store.rebind(room.id, resume.peerId, socket.id, this.attendance.nodeId);
    if (!member) return null;
    clearTimeout(this.pendingRemovals.get(member.peerId)?.timer);
    this.pendingRemovals.delete(member.peerId);
    await this.bind(socket, member);
    const others = (await this.store.list(room.id)).filter((other) => other.peerId !== member.peerId);
    this.logger.info('resumed', { roomId: room.id, peerId: member.peerId });
    return this.joinSuccess(room, member, resume.token, true, others);
  }

  private async bind(socket: SignalingSocket, member: Member): Promise<void> {
    socket.data.session = {
      roomId: member.roomId,
      peerId: member.peerId,
      userId: member.userId,
      role: member.role,
      name: member.name,
    };
    await socket.join([meetingChannel(member.roomId), peerChannel(member.peerId)]);
    this.countLocal(member.roomId, +1);
  }

  private joinSuccess(room: RoomEntity, member: Member, resumeToken: string, resumed: boolean, others: Member[]): JoinSuccess {
    return {
      ok: true,
      self: { peerId: member.peerId, role: member.role, userId: member.userId, resumeToken, resumed },
      room: {
        roomId: room.id,
        name: room.name,
        locked: room.locked,
        maxParticipants: Math.min(room.maxParticipants, this.config.maxParticipants),
      },
      peers: others.map(toPeerInfo),
      iceServers: iceServersFor(this.config.ice, member.peerId),
      iceTransportPolicy: this.config.ice.transportPolicy,
      upstreamBudgetBps: this.config.upstreamBudgetBps,
    };
  }

  /**
   * A connection dropped without `leave`. Phones switching networks come back
   * within seconds, so the member stays for the grace period and leaves only
   * if no resume arrives; the grace can be 0 (leave at once).
   */
  async disconnected(socket: SignalingSocket): Promise<void> {
    const session = socket.data.session;
    if (!session) return;
    if (this.config.reconnectGraceMs <= 0) return this.leave(socket, 'disconnected');
    socket.data.session = undefined;
    this.countLocal(session.roomId, -1);
    const connectionId = socket.id;
    clearTimeout(this.pendingRemovals.get(session.peerId)?.timer);
    const finish = async () => {
      this.pendingRemovals.delete(session.peerId);
      try {
        const removed = await this.store.removeIfConnection(session.roomId, session.peerId, connectionId);
        if (removed) await this.announceDeparture(removed, 'disconnected');
      } catch (error) {
        this.logger.warn('removal after grace failed', { roomId: session.roomId, error: describeError(error) });
      }
    };
    const timer = setTimeout(() => void finish(), this.config.reconnectGraceMs);
    timer.unref();
    this.pendingRemovals.set(session.peerId, { timer, finish });
  }

  /** Leaves the current room, if any. Safe to call twice; only the first announces. */
  async leave(socket: SignalingSocket, reason: LeaveReason): Promise<void> {
    const session = socket.data.session;
    if (!session) return;
    socket.data.session = undefined;
    this.countLocal(session.roomId, -1);
    await Promise.all([
      socket.leave(meetingChannel(session.roomId)),
      socket.leave(peerChannel(session.peerId)),
    ]);
    const removed = await this.store.remove(session.roomId, session.peerId);
    if (removed) await this.announceDeparture(removed, reason);
  }

  /** The session of a socket that is still a member; clears a stale one (removed or ended elsewhere). */
  async requireMember(socket: SignalingSocket): Promise<SocketSession> {
    const session = socket.data.session;
    if (!session) throw new SignalingError('NOT_IN_ROOM', 'join a room first');
    const member = await this.store.get(session.roomId, session.peerId);
    if (!member) {
      await this.forget(socket, session);
      throw new SignalingError('NOT_IN_ROOM', 'you are no longer in this room');
    }
    return session;
  }

  async relaySignal(socket: SignalingSocket, to: string, data: SignalData): Promise<void> {
    const session = socket.data.session;
    if (!session) throw new SignalingError('NOT_IN_ROOM', 'join a room first');
    const route = await this.store.signalRoute(session.roomId, session.peerId, to);
    if (!route.senderPresent) {
      await this.forget(socket, session);
      throw new SignalingError('NOT_IN_ROOM', 'you are no longer in this room');
    }
    if (route.targetConnectionId === null || to === session.peerId) {
      throw new SignalingError('PEER_NOT_FOUND', 'no such peer in this room');
    }
    // `from` comes from the connection, never from the payload.
    const message = { from: session.peerId, data };
    // When the addressed member's connection is on this process, hand the message to it
    // directly. Through the adapter, with Redis, every signal was also published and came
    // back to this process to be decoded and dropped: that publish and decode were the
    // largest cost per signal left on Redis (docs/performance.md). A member on another
    // process (or between connections during a resume) is reached through its peer channel.
    const local = this.io.sockets.get(route.targetConnectionId);
    if (local) local.emit('signal', message);
    else this.io.to(peerChannel(to)).emit('signal', message);
    this.metrics.relayedSignals.inc({ kind: 'description' in data ? data.description.type : 'candidate' });
  }

  async setMedia(socket: SignalingSocket, media: MediaState): Promise<void> {
    const session = await this.requireSession(socket);
    const member = await this.store.setMedia(session.roomId, session.peerId, media);
    if (!member) {
      await this.forget(socket, session);
      throw new SignalingError('NOT_IN_ROOM', 'you are no longer in this room');
    }
    socket.to(meetingChannel(session.roomId)).emit('peer-media-state', { peerId: session.peerId, ...media });
  }

  async chat(socket: SignalingSocket, text: string): Promise<void> {
    const session = await this.requireMember(socket);
    const message: ChatMessage = {
      id: randomUUID(),
      from: session.peerId,
      name: session.name,
      text,
      sentAt: new Date().toISOString(),
    };
    // The sender gets it back too, so everyone sees the same order.
    this.io.to(meetingChannel(session.roomId)).emit('chat-message', message);
  }

  async lock(socket: SignalingSocket, locked: boolean): Promise<void> {
    const session = await this.requireHost(socket);
    await this.rooms.setLocked(session.roomId, locked);
    this.io.to(meetingChannel(session.roomId)).emit('room-updated', { locked });
    this.logger.info('room lock changed', { roomId: session.roomId, locked });
  }

  async remove(socket: SignalingSocket, peerId: string): Promise<void> {
    const session = await this.requireHost(socket);
    if (peerId === session.peerId) throw new SignalingError('FORBIDDEN', 'hosts leave instead of removing themselves');
    const removed = await this.store.remove(session.roomId, peerId);
    if (!removed) throw new SignalingError('PEER_NOT_FOUND', 'no such peer in this room');
    // Tell them first, then take them out of the room's channel, so they hear nothing more of it.
    this.io.to(peerChannel(peerId)).emit('removed', { by: 'host' });
    this.io.in(peerChannel(peerId)).socketsLeave(meetingChannel(session.roomId));
    await this.announceDeparture(removed, 'removed');
    this.logger.info('participant removed', { roomId: session.roomId, peerId });
  }

  async end(socket: SignalingSocket): Promise<void> {
    const session = await this.requireHost(socket);
    await this.rooms.end(session.roomId);
    const members = await this.store.clear(session.roomId);
    const channel = meetingChannel(session.roomId);
    this.io.to(channel).emit('room-ended', { by: 'host' });
    this.io.in(channel).socketsLeave(channel);
    await this.attendance.closeRoom(session.roomId, 'ended');
    this.logger.info('meeting ended', { roomId: session.roomId, participants: members.length });
  }

  /**
   * On shutdown: everyone connected here leaves as disconnected (their rows
   * are closed), and members still in their grace period go now too.
   */
  async leaveAll(reason: LeaveReason): Promise<void> {
    const sockets = [...this.io.sockets.values()] as SignalingSocket[];
    await Promise.allSettled(sockets.map((socket) => this.leave(socket, reason)));
    const pending = [...this.pendingRemovals.values()];
    for (const { timer } of pending) clearTimeout(timer);
    await Promise.allSettled(pending.map(({ finish }) => finish()));
  }

  private async requireSession(socket: SignalingSocket): Promise<SocketSession> {
    const session = socket.data.session;
    if (!session) throw new SignalingError('NOT_IN_ROOM', 'join a room first');
    return session;
  }

  private async requireHost(socket: SignalingSocket): Promise<SocketSession> {
    const session = await this.requireMember(socket);
    if (session.role !== 'host') throw new SignalingError('FORBIDDEN', 'only the host can do this');
    return session;
  }

  private async forget(socket: SignalingSocket, session: SocketSession): Promise<void> {
    if (socket.data.session !== session) return;
    socket.data.session = undefined;
    this.countLocal(session.roomId, -1);
    await Promise.all([
      socket.leave(meetingChannel(session.roomId)),
      socket.leave(peerChannel(session.peerId)),
    ]);
  }

  private async announceDeparture(member: Member, reason: LeaveReason): Promise<void> {
    this.io.to(meetingChannel(member.roomId)).emit('peer-left', { peerId: member.peerId, reason });
    this.logger.info('left', { roomId: member.roomId, peerId: member.peerId, reason });
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

  /** Members of crashed processes found while admitting someone: the others must let them go. */
  private async dropStale(roomId: string, stale: Member[]): Promise<void> {
    for (const member of stale) await this.announceDeparture({ ...member, roomId }, 'disconnected');
  }

  private countLocal(roomId: string, delta: number): void {
    const count = (this.localRooms.get(roomId) ?? 0) + delta;
    if (count <= 0) this.localRooms.delete(roomId);
    else this.localRooms.set(roomId, count);
    this.metrics.activeRooms.set(this.localRooms.size);
  }
}

function toPeerInfo(member: Member): PeerInfo {
  return { peerId: member.peerId, name: member.name, role: member.role, media: member.media };
}
