import { Injectable } from '@nestjs/common';
import type { SignalData } from '@mesh-meet/protocol';
import { MembershipStore } from '../membership/membership.store';
import { MetricsService } from '../metrics/metrics.service';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
import { MemberCheck } from './member-check.service';
import { peerChannel, type SignalingSocket } from './socket-session';

/** Offers, answers and candidates go to one named peer in the sender's room, never to everyone. */
@Injectable()
export class SignalRelay {
  constructor(
    private readonly store: MembershipStore,
    private readonly channels: MeetingChannels,
    private readonly check: MemberCheck,
    private readonly metrics: MetricsService,
  ) {}

  async relay(socket: SignalingSocket, to: string, data: SignalData): Promise<void> {
    const session = this.check.session(socket);
    // One store round trip checks the sender and finds the target (the hot path).
    const route = await this.store.signalRoute(session.roomId, session.peerId, to);
    if (!route.senderPresent) await this.check.gone(socket, session);
    if (route.targetConnectionId === null || to === session.peerId) {
      throw new MeetingError('PEER_NOT_FOUND', 'no such peer in this room');
    }
    // `from` comes from the connection, never from the payload.
    const message = { from: session.peerId, data };
    // When the addressed member's connection is on this process, hand the message to it
    // directly. Through the adapter, with Redis, every signal was also published and came
    // back to this process to be decoded and dropped: that publish and decode were the
    // largest cost per signal left on Redis (docs/performance.md). A member on another
    // process (or between connections during a resume) is reached through its peer channel.
    const io = this.channels.io;
    const local = io.sockets.get(route.targetConnectionId);
    if (local) local.emit('signal', message);
    else io.to(peerChannel(to)).emit('signal', message);
    this.metrics.relayedSignals.inc({ kind: signalKind(data) });
  }
}

/** The metric's label: the description's type, `candidate`, or `restart-ice` (a request to restart ICE). */
function signalKind(data: SignalData): string {
  if ('description' in data) return data.description.type;
  return 'candidate' in data ? 'candidate' : 'restart-ice';
}
