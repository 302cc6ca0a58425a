import type { ClientToServerEvents, Role, ServerToClientEvents } from '@mesh-meet/protocol';
import type { Namespace, Socket } from 'socket.io';
import type { TokenBucket } from '../rate-limit/token-bucket';

/** What a connection is, once joined. A cache: the membership store decides. */
export interface SocketSession {
  roomId: string;
  peerId: string;
  userId: string;
  role: Role;
  name: string;
}

export interface SocketData {
  address: string;
  bucket: TokenBucket;
  session?: SocketSession;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoServerEvents = {};
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;
export type SignalingNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;

/* Socket.IO rooms: one per meeting, and one per peer for targeted delivery across processes. */
export const meetingChannel = (roomId: string) => `r:${roomId}`;
export const peerChannel = (peerId: string) => `p:${peerId}`;
