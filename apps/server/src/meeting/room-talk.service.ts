import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ChatMessage, MediaState } from '@mesh-meet/protocol';
import { MembershipStore } from '../membership/membership.store';
import { CHAT_BURST, CHAT_PER_SECOND, TokenBucket } from '../rate-limit/token-bucket';
import { MeetingChannels } from './meeting-channels.service';
import { MeetingError } from './meeting-error';
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
    socket.data.chatBucket ??= new TokenBucket(CHAT_BURST, CHAT_PER_SECOND);
    if (!socket.data.chatBucket.tryTake()) throw new MeetingError('RATE_LIMITED', 'chat is limited to one message a second');
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
