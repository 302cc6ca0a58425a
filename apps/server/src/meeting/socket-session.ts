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
  /** `quality`'s rate per link (QualityIntake), by the other peer's id. */
  qualityBuckets?: Map<string, TokenBucket>;
  /** When this connection's last `quality` message was stamped (ms), to keep the next one after it. */
  qualityLastAt?: number;
  /** RATE_LIMITED refusals so far (ConnectionLimits), made at the first. */
  floods?: FloodGuard;
  /** The join deadline's timer (ConnectionLimits). */
  deadline?: NodeJS.Timeout;
  /** The tail of this connection's joins, leaves and disconnect, run one at a time (inTurn). */
  turn?: Promise<void>;
  session?: SocketSession;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoServerEvents = {};
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;
export type SignalingNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;

/* Socket.IO rooms: one per meeting, and one per peer for targeted delivery across processes. */
export const meetingChannel = (roomId: string) => `r:${roomId}`;
export const peerChannel = (peerId: string) => `p:${peerId}`;
