import type {
  ChatMessage,
  ChatRequest,
  HostLockRequest,
  HostRemoveRequest,
  JoinAck,
  JoinRequest,
  MediaState,
  OkAck,
  PeerJoined,
  PeerLeft,
  PeerMediaState,
  Removed,
  RoomEnded,
  RoomUpdated,
  SignalEvent,
  SignalRequest,
} from './schemas';

/** The Socket.IO namespace every browser connects to. */
export const SIGNALING_NAMESPACE = '/signaling';

/** Event names, declared once. */
export const CLIENT_EVENTS = {
  join: 'join',
  signal: 'signal',
  mediaState: 'media-state',
  chat: 'chat',
  leave: 'leave',
  hostLock: 'host:lock',
  hostRemove: 'host:remove',
  hostEnd: 'host:end',
} as const;

export const SERVER_EVENTS = {
  peerJoined: 'peer-joined',
  peerLeft: 'peer-left',
  signal: 'signal',
  peerMediaState: 'peer-media-state',
  chatMessage: 'chat-message',
  roomUpdated: 'room-updated',
  removed: 'removed',
  roomEnded: 'room-ended',
} as const;

export type Ack<T> = (response: T) => void;

/**
 * Browser -> server. Every event takes an ack that answers `{ok:true,…}` or
 * `{ok:false, error:{code, message}}`. The server parses each payload with its
 * schema: these types describe well-behaved clients, they validate nothing.
 */
export interface ClientToServerEvents {
  join: (request: JoinRequest, ack: Ack<JoinAck>) => void;
  signal: (request: SignalRequest, ack?: Ack<OkAck>) => void;
  'media-state': (request: MediaState, ack?: Ack<OkAck>) => void;
  chat: (request: ChatRequest, ack?: Ack<OkAck>) => void;
  leave: (ack?: Ack<OkAck>) => void;
  'host:lock': (request: HostLockRequest, ack?: Ack<OkAck>) => void;
  'host:remove': (request: HostRemoveRequest, ack?: Ack<OkAck>) => void;
  'host:end': (ack?: Ack<OkAck>) => void;
}

/** Server -> browser. The browser parses each with the matching schema. */
export interface ServerToClientEvents {
  'peer-joined': (event: PeerJoined) => void;
  'peer-left': (event: PeerLeft) => void;
  signal: (event: SignalEvent) => void;
  'peer-media-state': (event: PeerMediaState) => void;
  'chat-message': (event: ChatMessage) => void;
  'room-updated': (event: RoomUpdated) => void;
  removed: (event: Removed) => void;
  'room-ended': (event: RoomEnded) => void;
}
