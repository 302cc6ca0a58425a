import { Injectable } from '@nestjs/common';
import type { Member } from '../membership/membership.store';
import { MetricsService } from '../metrics/metrics.service';
import { LocalRoomCount } from './local-room-count';
import {
  hostChannel,
  meetingChannel,
  peerChannel,
  type SignalingNamespace,
  type SignalingSocket,
  type SocketSession,
} from './socket-session';

/**
 * The Socket.IO side of membership on this process: the namespace messages go
 * out through, and which sockets sit in which meeting's and peer's channels.
 * The channels only carry messages; the MembershipStore decides who is a member.
 */
@Injectable()
export class MeetingChannels {
  private namespace: SignalingNamespace | undefined;
  private readonly localRooms = new LocalRoomCount();

  constructor(private readonly metrics: MetricsService) {}

  attach(namespace: SignalingNamespace): void {
    this.namespace = namespace;
  }

  get io(): SignalingNamespace {
    if (!this.namespace) throw new Error('meeting channels used before the gateway attached');
    return this.namespace;
  }

  /** Sockets connected to this process. */
  localSockets(): SignalingSocket[] {
    return [...this.io.sockets.values()] as SignalingSocket[];
  }

  /** Makes the socket the connection of `member`: its session, and the channels it hears. */
  async bind(socket: SignalingSocket, member: Member): Promise<void> {
    socket.data.session = {
      roomId: member.roomId,
      peerId: member.peerId,
      userId: member.userId,
      role: member.role,
      name: member.name,
    };
    this.countLocal(member.roomId, +1);
    // A socket that closed while its join was under way is out of every channel
    // already; joining it would leave a dead entry in them. Its disconnect,
    // which runs next (inTurn), gives the seat up.
    if (socket.connected) await socket.join(channelsOf(member));
  }

  /** Takes the socket out of its meeting; a no-op when it has moved on from `session` already. */
  async unbind(socket: SignalingSocket, session: SocketSession): Promise<void> {
    if (socket.data.session !== session) return;
    socket.data.session = undefined;
    this.countLocal(session.roomId, -1);
    await Promise.all(channelsOf(session).map((channel) => socket.leave(channel)));
  }

  /** A disconnected socket: Socket.IO has taken it out of its channels already. */
  detach(socket: SignalingSocket, session: SocketSession): void {
    socket.data.session = undefined;
    this.countLocal(session.roomId, -1);
  }

  private countLocal(roomId: string, delta: number): void {
    this.metrics.activeRooms.set(this.localRooms.add(roomId, delta));
  }
}

/** The channels a member hears: its meeting's, its own, and its meeting's hosts' (join requests) when it is a host. */
function channelsOf(member: Pick<Member, 'roomId' | 'peerId' | 'role'>): string[] {
  const channels = [meetingChannel(member.roomId), peerChannel(member.peerId)];
  if (member.role === 'host') channels.push(hostChannel(member.roomId));
  return channels;
}
