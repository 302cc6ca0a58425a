import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ChatMessage, MediaState } from '@mesh-meet/protocol';
import { MembershipStore } from '../membership/membership.store';
import { MeetingChannels } from './meeting-channels.service';
import { MemberCheck } from './member-check.service';
import { meetingChannel, type SignalingSocket } from './socket-session';

/** What a member tells the whole room: chat, and whether its microphone, camera and screen are on. */
@Injectable()
export class RoomTalkService {
  constructor(
    private readonly store: MembershipStore,
    private readonly channels: MeetingChannels,
    private readonly check: MemberCheck,
  ) {}

  async setMedia(socket: SignalingSocket, media: MediaState): Promise<void> {
    const session = this.check.session(socket);
    const member = await this.store.setMedia(session.roomId, session.peerId, media);
    if (!member) await this.check.gone(socket, session);
    socket.to(meetingChannel(session.roomId)).emit('peer-media-state', { peerId: session.peerId, ...media });
  }

  async chat(socket: SignalingSocket, text: string): Promise<void> {
    const session = await this.check.member(socket);
    const message: ChatMessage = {
      id: randomUUID(),
      from: session.peerId,
      name: session.name,
      text,
      sentAt: new Date().toISOString(),
    };
    // The sender gets it back too, so everyone sees the same order.
    this.channels.io.to(meetingChannel(session.roomId)).emit('chat-message', message);
  }
}
