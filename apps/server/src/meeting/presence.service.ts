import { Inject, Injectable } from '@nestjs/common';
import type { LeaveReason } from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import { MembershipStore } from '../membership/membership.store';
import { Departures } from './departures.service';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
import type { SignalingSocket } from './socket-session';
import { WaitingRoomService } from './waiting-room.service';

/**
 * Staying and going: `leave`, a dropped connection and its grace period, and
 * everyone here leaving at shutdown.
 */
@Injectable()
export class PresenceService {
  /** Members whose connection dropped, removed unless they resume within the grace period. */
  private readonly pendingRemovals = new Map<string, { timer: NodeJS.Timeout; finish: () => Promise<void> }>();

  constructor(
    private readonly store: MembershipStore,
    private readonly channels: MeetingChannels,
    private readonly departures: Departures,
    private readonly waiting: WaitingRoomService,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'reconnectGraceMs'>,
  ) {}

  /**
   * A connection closed. The client closing it on purpose (`deliberate`: the
   * page went away) has left, at once. A dropped one did not say so: phones
   * switching networks come back within seconds, so the member stays for the
   * grace period and leaves only if no resume arrives; the grace can be 0.
   */
  async disconnected(socket: SignalingSocket, deliberate = false): Promise<void> {
    // A waiting guest has no seat to keep for a resume: the request goes at once.
    await this.waiting.withdraw(socket);
    const session = socket.data.session;
    if (!session) return;
    if (deliberate) return this.leave(socket, 'left');
    if (this.config.reconnectGraceMs <= 0) return this.leave(socket, 'disconnected');
    this.channels.detach(socket, session);
    const connectionId = socket.id;
    clearTimeout(this.pendingRemovals.get(session.peerId)?.timer);
    const finish = async () => {
      this.pendingRemovals.delete(session.peerId);
      try {
        const removed = await this.store.removeIfConnection(session.roomId, session.peerId, connectionId);
        if (removed) await this.departures.announce(removed, 'disconnected');
      } catch (error) {
        this.logger.warn('removal after grace failed', { roomId: session.roomId, error: describeError(error) });
      }
    };
    const timer = setTimeout(() => void finish(), this.config.reconnectGraceMs);
    timer.unref();
    this.pendingRemovals.set(session.peerId, { timer, finish });
  }

  /** The member came back on a new connection in time: it stays. */
  resumed(peerId: string): void {
    clearTimeout(this.pendingRemovals.get(peerId)?.timer);
    this.pendingRemovals.delete(peerId);
  }

  /** The client's `leave` (from a meeting, or from waiting to get in): refused when there is nothing to leave. */
  async leaveOnRequest(socket: SignalingSocket): Promise<void> {
    if (socket.data.waiting) return this.waiting.withdraw(socket);
    if (!socket.data.session) throw new MeetingError('NOT_IN_ROOM', 'not in a room');
    await this.leave(socket, 'left');
  }

  /** Leaves the current room, if any. Safe to call twice; only the first announces. */
  async leave(socket: SignalingSocket, reason: LeaveReason): Promise<void> {
    const session = socket.data.session;
    if (!session) return;
    await this.channels.unbind(socket, session);
    const removed = await this.store.remove(session.roomId, session.peerId);
    if (removed) await this.departures.announce(removed, reason);
  }

  /**
   * On shutdown: everyone connected here leaves as disconnected (their rows
   * are closed), and members still in their grace period go now too.
   */
  async leaveAll(reason: LeaveReason): Promise<void> {
    const sockets = this.channels.localSockets();
    await Promise.allSettled(sockets.map((socket) => this.leave(socket, reason)));
    const pending = [...this.pendingRemovals.values()];
    for (const { timer } of pending) clearTimeout(timer);
    await Promise.allSettled(pending.map(({ finish }) => finish()));
  }
}
