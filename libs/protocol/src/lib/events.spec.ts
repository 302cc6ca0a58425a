import type {
  ChatRequest,
  HostLockRequest,
  HostRemoveRequest,
  JoinAck,
  JoinRequest,
  MediaState,
  OkAck,
  PeerJoined,
  PeerLeft,
  SignalEvent,
  SignalRequest,
} from './schemas';
import type { QualityRequest } from './quality';
import {
  type Ack,
  CLIENT_EVENTS,
  CLIENT_EVENT_SCHEMAS,
  type ClientToServerEvents,
  SERVER_EVENTS,
  SERVER_EVENT_SCHEMAS,
  type ServerToClientEvents,
} from './events';

/* Compile-time checks (tsc fails on a mismatch): the maps derived from the tables keep the shapes both ends use. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(check: Equal<A, B>) => check;
same<ClientToServerEvents['join'], (request: JoinRequest, ack: Ack<JoinAck>) => void>(true);
same<ClientToServerEvents['signal'], (request: SignalRequest, ack?: Ack<OkAck>) => void>(true);
same<ClientToServerEvents['media-state'], (request: MediaState, ack?: Ack<OkAck>) => void>(true);
same<ClientToServerEvents['chat'], (request: ChatRequest, ack?: Ack<OkAck>) => void>(true);
same<ClientToServerEvents['leave'], (ack?: Ack<OkAck>) => void>(true);
same<ClientToServerEvents['host:lock'], (request: HostLockRequest, ack?: Ack<OkAck>) => void>(true);
same<ClientToServerEvents['host:remove'], (request: HostRemoveRequest, ack?: Ack<OkAck>) => void>(true);
same<ClientToServerEvents['host:end'], (ack?: Ack<OkAck>) => void>(true);
same<ClientToServerEvents['quality'], (request: QualityRequest, ack?: Ack<OkAck>) => void>(true);
same<ServerToClientEvents['peer-joined'], (event: PeerJoined) => void>(true);
same<ServerToClientEvents['peer-left'], (event: PeerLeft) => void>(true);
same<ServerToClientEvents['signal'], (event: SignalEvent) => void>(true);
same<(typeof CLIENT_EVENTS)['hostRemove'], 'host:remove'>(true);
same<(typeof SERVER_EVENTS)['peerMediaState'], 'peer-media-state'>(true);

describe('event names', () => {
  it.each([
    [
      'client',
      CLIENT_EVENTS,
      CLIENT_EVENT_SCHEMAS,
      { join: 'join', signal: 'signal', mediaState: 'media-state', chat: 'chat', leave: 'leave', hostLock: 'host:lock', hostRemove: 'host:remove', hostEnd: 'host:end', quality: 'quality' },
    ],
    [
      'server',
      SERVER_EVENTS,
      SERVER_EVENT_SCHEMAS,
      { peerJoined: 'peer-joined', peerLeft: 'peer-left', signal: 'signal', peerMediaState: 'peer-media-state', chatMessage: 'chat-message', roomUpdated: 'room-updated', removed: 'removed', roomEnded: 'room-ended', closing: 'closing' },
    ],
  ])('name every %s event of the table once, as frozen code constants', (_direction, names, table, expected) => {
    expect(names).toEqual(expected);
    expect(Object.values(names).sort()).toEqual(Object.keys(table).sort());
    expect(Object.isFrozen(names)).toBe(true);
  });
});

describe('the event tables', () => {
  it('parse a leave with no payload, null or an empty object, and nothing else', () => {
    const leave = CLIENT_EVENT_SCHEMAS.leave.request;
    expect([undefined, null, {}].map((payload) => leave.safeParse(payload).success)).toEqual([true, true, true]);
    expect(leave.safeParse({ reason: 'bye' }).success).toBe(false);
  });

  it('parse a server event with the schema of its name', () => {
    expect(SERVER_EVENT_SCHEMAS['peer-left'].safeParse({ peerId: 'AAAAAAAAAAAAAAAA', reason: 'left' }).success).toBe(true);
    expect(SERVER_EVENT_SCHEMAS['peer-left'].safeParse({ peerId: 'AAAAAAAAAAAAAAAA', reason: 'gone' }).success).toBe(false);
  });
});
