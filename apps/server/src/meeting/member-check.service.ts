import { Injectable } from '@nestjs/common';
import { MembershipStore } from '../membership/membership.store';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
import type { SignalingSocket, SocketSession } from './socket-session';

/** Who may act: the socket's session is a cache, the MembershipStore decides. */
@Injectable()
export class MemberCheck {
  constructor(
    private readonly store: MembershipStore,
    private readonly channels: MeetingChannels,
  ) {}

  /** The socket's session, without asking the store (for messages the store checks itself). */
  session(socket: SignalingSocket): SocketSession {
    const session = socket.data.session;
    if (!session && socket.data.waiting) throw new MeetingError('NOT_IN_ROOM', 'waiting for the host to let you in');
    if (!session) throw new MeetingError('NOT_IN_ROOM', 'join a room first');
    return session;
  }

  /** The session of a socket that is still a member; clears a stale one (removed or ended elsewhere). */
  async member(socket: SignalingSocket): Promise<SocketSession> {
    const session = this.session(socket);
    const member = await this.store.get(session.roomId, session.peerId);
    if (!member) await this.gone(socket, session);
    return session;
  }

  async host(socket: SignalingSocket): Promise<SocketSession> {
    const session = await this.member(socket);
    if (session.role !== 'host') throw new MeetingError('FORBIDDEN', 'only the host can do this');
    return session;
  }

  /** The store no longer has this member: forget the stale session and refuse. */
  async gone(socket: SignalingSocket, session: SocketSession): Promise<never> {
    await this.channels.unbind(socket, session);
    throw new MeetingError('NOT_IN_ROOM', 'you are no longer in this room');
  }
}
