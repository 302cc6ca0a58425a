import { Inject, Injectable } from '@nestjs/common';
import type { JoinDenied, JoinRequestInfo, JoinWaiting } from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { RoomEntity } from '../database/entities';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import { MembershipStore } from '../membership/membership.store';
import { AddressRateLimiter } from '../rate-limit/address-rate-limiter';
import { generatePeerId } from '../rooms/secrets';
import type { JoinRequestRecord } from '../waiting-room/waiting-room.store';
import { WaitingRoomStore } from '../waiting-room/waiting-room.store';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
import {
  hostChannel,
  requestChannel,
  type SignalingSocket,
  type SocketSession,
  waitingChannel,
} from './socket-session';

/** Who asks: the identity the join presented (or was given), and the name typed. */
export interface Asker {
  userId: string;
  identityToken: string;
  name: string;
}

/**
 * The waiting room of `ask` rooms: guests' requests, the hosts' list of
 * them, and the answers. The requests live in the WaitingRoomStore (Redis
 * with several processes); every message goes through Socket.IO channels,
 * so a host on one process answers a guest waiting on another: the answer
 * reaches the guest's request channel, whatever process holds it.
 */
@Injectable()
export class WaitingRoomService {
  constructor(
    private readonly requests: WaitingRoomStore,
    private readonly members: MembershipStore,
    private readonly channels: MeetingChannels,
    private readonly limiter: AddressRateLimiter,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'nodeId' | 'waitingRoom'>,
  ) {}

  /**
   * A guest's join into an `ask` room: records (or finds again) their
   * request, tells the hosts, and answers with the waiting ack. Refused with
   * DENIED for a while after the host turned this identity down, and
   * RATE_LIMITED past the new requests an identity or an address may make.
   */
  async ask(socket: SignalingSocket, room: RoomEntity, asker: Asker, summary: JoinWaiting['room']): Promise<JoinWaiting> {
    if (await this.requests.isDenied(room.id, asker.userId)) {
      throw new MeetingError('DENIED', 'the host did not let you in; you can ask again in a few minutes');
    }
    const waitingHere = (await this.requests.list(room.id)).some((request) => request.userId === asker.userId);
    if (!waitingHere) await this.limitNewRequests(socket.data.address, asker.userId);

    const now = new Date();
    const { request, created } = await this.requests.request({
      requestId: generatePeerId(),
      roomId: room.id,
      userId: asker.userId,
      name: asker.name,
      nodeId: this.config.nodeId,
      connectionId: socket.id,
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.config.waitingRoom.requestTtlMs).toISOString(),
    });
    await this.hold(socket, request);
    if (created) this.logger.info('join requested', { roomId: room.id, requestId: request.requestId });
    await this.publish(room.id);
    return {
      ok: true,
      waiting: { requestId: request.requestId, hostPresent: await this.hostPresent(room.id), expiresAt: request.expiresAt },
      identity: asker.identityToken,
      room: summary,
    };
  }

  /** Uses up the host's admission of this identity into this room, if there is one. */
  consumeAdmission(roomId: string, userId: string): Promise<boolean> {
    return this.requests.consumeAdmission(roomId, userId);
  }

  /**
   * The connection stops waiting (it left, closed, joined elsewhere or was
   * seated): its request goes, unless a newer connection of the same
   * identity holds it now. Safe to call on a connection that is not waiting.
   */
  async withdraw(socket: SignalingSocket): Promise<void> {
    const waiting = socket.data.waiting;
    if (!waiting) return;
    socket.data.waiting = undefined;
    clearTimeout(waiting.timer);
    if (socket.connected) {
      await Promise.all([socket.leave(waitingChannel(waiting.roomId)), socket.leave(requestChannel(waiting.requestId))]);
    }
    const removed = await this.requests.withdraw(waiting.roomId, waiting.requestId, socket.id);
    if (removed) {
      this.logger.info('join request withdrawn', { roomId: waiting.roomId, requestId: waiting.requestId });
      await this.publish(waiting.roomId);
    }
  }

  async admit(host: SocketSession, requestId: string): Promise<void> {
    const request = await this.requests.take(host.roomId, requestId);
    if (!request) throw new MeetingError('PEER_NOT_FOUND', 'no such request is waiting in this room');
    await this.letIn([request]);
    await this.publish(host.roomId);
  }

  async deny(host: SocketSession, requestId: string): Promise<void> {
    const request = await this.requests.take(host.roomId, requestId);
    if (!request) throw new MeetingError('PEER_NOT_FOUND', 'no such request is waiting in this room');
    await this.requests.markDenied(request.roomId, request.userId, this.config.waitingRoom.denyCooldownMs);
    this.answer(request, 'join-denied', { requestId: request.requestId, reason: 'denied' });
    this.logger.info('join denied', { roomId: request.roomId, requestId: request.requestId });
    await this.publish(host.roomId);
  }

  /** Lets every guest waiting now in (`host:admit-all`, or the room became open). */
  async admitAll(roomId: string): Promise<void> {
    const requests = await this.requests.takeAll(roomId);
    if (requests.length === 0) return;
    await this.letIn(requests);
    await this.publish(roomId);
  }

  /** Ends every waiting request without admission: the room was locked or ended. */
  async turnAllAway(roomId: string, reason: Extract<JoinDenied['reason'], 'locked' | 'ended'>): Promise<void> {
    const requests = await this.requests.takeAll(roomId);
    for (const request of requests) this.answer(request, 'join-denied', { requestId: request.requestId, reason });
    if (requests.length > 0) {
      this.logger.info('join requests turned away', { roomId, reason, requests: requests.length });
      await this.publish(roomId);
    }
  }

  /** For a host who just joined: the requests waiting now, when there are any (sent just before the join ack). */
  async greetHost(socket: SignalingSocket, roomId: string): Promise<void> {
    const requests = await this.requests.list(roomId);
    if (requests.length > 0) socket.emit('join-requests', { requests: requests.map(toInfo) });
    this.channels.io.to(waitingChannel(roomId)).emit('host-presence', { present: true });
  }

  /** A host left: waiting guests hear when nobody is left to let them in. */
  async hostLeft(roomId: string): Promise<void> {
    try {
      if (!(await this.hostPresent(roomId))) this.channels.io.to(waitingChannel(roomId)).emit('host-presence', { present: false });
    } catch (error) {
      this.logger.warn('could not tell waiting guests the host left', { roomId, error: describeError(error) });
    }
  }

  private async hostPresent(roomId: string): Promise<boolean> {
    return (await this.members.list(roomId)).some((member) => member.role === 'host');
  }

  /** Every host of the room gets the whole current list (it replaces the last one). */
  private async publish(roomId: string): Promise<void> {
    const requests = await this.requests.list(roomId);
    this.channels.io.to(hostChannel(roomId)).emit('join-requests', { requests: requests.map(toInfo) });
  }

  private async letIn(requests: JoinRequestRecord[]): Promise<void> {
    for (const request of requests) {
      await this.requests.markAdmitted(request.roomId, request.userId, this.config.waitingRoom.admissionTtlMs);
      this.answer(request, 'admitted', { requestId: request.requestId });
      this.logger.info('join admitted', { roomId: request.roomId, requestId: request.requestId });
    }
  }

  /**
   * Sends the answer to the guest's request channel, on whatever process
   * holds it, and takes that connection out of the waiting channels: it is
   * no longer waiting and hears nothing more of this room's lobby.
   */
  private answer(request: JoinRequestRecord, ...[event, payload]: ['admitted', { requestId: string }] | ['join-denied', JoinDenied]): void {
    const io = this.channels.io;
    const channel = requestChannel(request.requestId);
    if (event === 'admitted') io.to(channel).emit('admitted', payload);
    else io.to(channel).emit('join-denied', payload);
    io.in(channel).socketsLeave([waitingChannel(request.roomId), channel]);
  }

  /** The connection waits: it hears the lobby's channels, and its request lapses at its expiry. */
  private async hold(socket: SignalingSocket, request: JoinRequestRecord): Promise<void> {
    const previous = socket.data.waiting;
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => void this.expire(socket, request), Math.max(0, Date.parse(request.expiresAt) - Date.now()));
    timer.unref();
    socket.data.waiting = { roomId: request.roomId, requestId: request.requestId, userId: request.userId, timer };
    if (socket.connected) await socket.join([waitingChannel(request.roomId), requestChannel(request.requestId)]);
  }

  /** Unanswered in time: the request goes and the guest is told, unless it was answered or moved meanwhile. */
  private async expire(socket: SignalingSocket, request: JoinRequestRecord): Promise<void> {
    if (socket.data.waiting?.requestId !== request.requestId) return;
    socket.data.waiting = undefined;
    try {
      const removed = await this.requests.withdraw(request.roomId, request.requestId, socket.id);
      if (!removed) return;
      socket.emit('join-denied', { requestId: request.requestId, reason: 'expired' });
      await Promise.all([socket.leave(waitingChannel(request.roomId)), socket.leave(requestChannel(request.requestId))]);
      this.logger.info('join request expired', { roomId: request.roomId, requestId: request.requestId });
      await this.publish(request.roomId);
    } catch (error) {
      this.logger.warn('could not expire a join request', { roomId: request.roomId, error: describeError(error) });
    }
  }

  private async limitNewRequests(address: string, userId: string): Promise<void> {
    const perMinute = this.config.waitingRoom.requestsPerMinute;
    for (const [action, key, limit] of [
      ['join-request-identity', userId, perMinute],
      ['join-request', address, perMinute * 4],
    ] as const) {
      const rate = await this.limiter.hit(action, key, limit, 60_000);
      if (!rate.allowed) throw new MeetingError('RATE_LIMITED', `too many requests to join; retry in ${rate.retryAfterSeconds} s`);
    }
  }
}

function toInfo(request: JoinRequestRecord): JoinRequestInfo {
  return { requestId: request.requestId, name: request.name, requestedAt: request.requestedAt };
}
