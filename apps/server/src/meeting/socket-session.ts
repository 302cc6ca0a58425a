import type { ClientToServerEvents, Role, ServerToClientEvents } from '@mesh-meet/protocol';
import type { Namespace, Socket } from 'socket.io';
import type { FloodGuard } from '../rate-limit/flood-guard';
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
  /** Chat's own rate (RoomTalkService), made at the first chat message. */
  chatBucket?: TokenBucket;
  /** RATE_LIMITED refusals so far (ConnectionLimits), made at the first. */
  floods?: FloodGuard;
  /** The join deadline's timer (ConnectionLimits). */
  deadline?: NodeJS.Timeout;
  /** The tail of this connection's joins, leaves and disconnect, run one at a time (inTurn). */
  turn?: Promise<void>;
  session?: SocketSession;
  /** This connection's request to join an `ask` room, while it waits for the host (WaitingRoomService). */
  waiting?: WaitingSession;
}

/** A connection waiting for the host. A cache: the WaitingRoomStore decides whether the request still stands. */
export interface WaitingSession {
  roomId: string;
  requestId: string;
  userId: string;
  /** Ends the request when it expires unanswered. */
  timer: NodeJS.Timeout;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoServerEvents = {};
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;
export type SignalingNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;

/*
 * Socket.IO rooms: one per meeting, and one per peer for targeted delivery across processes;
 * for the waiting room, one per meeting for its hosts, one for the guests waiting to enter
 * it, and one per join request for the answer to that guest.
 */
export const meetingChannel = (roomId: string) => `r:${roomId}`;
export const peerChannel = (peerId: string) => `p:${peerId}`;
export const hostChannel = (roomId: string) => `h:${roomId}`;
export const waitingChannel = (roomId: string) => `w:${roomId}`;
export const requestChannel = (requestId: string) => `q:${requestId}`;
