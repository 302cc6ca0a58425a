import { CLIENT_EVENTS, LIMITS } from '@mesh-meet/protocol';
import type { Form, Malformed, Mutation, NameKind, PeerTarget, Request, TextKind } from './actions';

export interface RoomRef {
  roomId: string;
  hostKey: string;
}

/** What a client knows when it builds a request: the run's rooms, itself, and the peers it has seen. */
export interface SenderView {
  rooms: readonly RoomRef[];
  userId: string;
  /** Another client's user id, for a join that claims someone else's identity. */
  otherUserId: string;
  /** The room it was last admitted to and has not left, as far as it knows. */
  roomId: string | undefined;
  peerId: string | undefined;
  /** Peer id and resume token of its last admitted join. */
  resume: { roomId: string; peerId: string; token: string } | undefined;
  /** Peers it has seen in each room (join acks and peer-joined). */
  peersIn(roomId: string): string[];
}

/** Well-formed values that name nothing on the server. */
const NO_SUCH_ROOM = 'qqq-qqqq-qqq';
const NO_SUCH_PEER = 'nobody-here-0000';
const NO_SUCH_HOST_KEY = 'A'.repeat(43);
const WRONG_RESUME_TOKEN = 'B'.repeat(43);
/** Control characters, bidi overrides and zero-width text that names and chat must not pass on raw. */
const CONTROLS = '\u0000\u0007\u202e\u2066\u200b';

const OFFER = { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' } };
const CANDIDATE = { candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };

const names: Record<NameKind, (client: number) => string> = {
  plain: (client) => `Client ${client}`,
  padded: (client) => `   Client ${client}   `,
  'controls-and-bidi': (client) => `${CONTROLS}Client${client}\u202egnp.exe`,
};
const texts: Record<TextKind, string> = {
  plain: 'hello everyone',
  'controls-and-bidi': `${CONTROLS}hi\u202etxt.exe`,
  longest: 'x'.repeat(LIMITS.chatMaxLength),
};

/** A well-formed `quality` sample about `peerId`: a relayed link whose sender is limited by bandwidth. */
function qualitySample(peerId: string): Record<string, unknown> {
  return {
    peerId, windowSec: 10, rttMs: 180, lossIn: 0.04, lossOut: 0.01, jitterMs: 12, bitrateIn: 400_000, bitrateOut: 350_000,
    fpsIn: 15, frameHeightIn: 360, freezeCount: 1, totalFreezesDuration: 0.5, localCandidateType: 'relay',
    remoteCandidateType: 'srflx', relayProtocol: 'udp', qualityLimitationReason: 'bandwidth', iceRestarts: 0,
  };
}

function peerFor(view: SenderView, to: PeerTarget, pick: number): string {
  const self = view.peerId;
  const inRoom = (roomId: string | undefined) => (roomId ? view.peersIn(roomId).filter((peer) => peer !== self) : []);
  let candidates: string[] = [];
  if (to === 'self') candidates = self ? [self] : [];
  if (to === 'same-room') candidates = inRoom(view.roomId);
  if (to === 'other-room') candidates = view.rooms.filter((room) => room.roomId !== view.roomId).flatMap((room) => inRoom(room.roomId));
  return candidates.length ? candidates[pick % candidates.length] : NO_SUCH_PEER;
}

/** The well-formed payload of a request (undefined for events without one). */
export function validPayload(request: Request, client: number, view: SenderView): unknown {
  switch (request.event) {
    case CLIENT_EVENTS.join: {
      const room = view.rooms[request.room % view.rooms.length];
      const base: Record<string, unknown> = { roomId: room.roomId, name: names[request.name](client) };
      if (request.userId === 'own') base['userId'] = view.userId;
      if (request.userId === 'someone-else') base['userId'] = view.otherUserId;
      switch (request.as) {
        case 'guest':
          return base;
        case 'host':
          return { ...base, hostKey: room.hostKey };
        case 'wrong-host-key': {
          const other = view.rooms.find((candidate) => candidate.roomId !== room.roomId);
          return { ...base, hostKey: other?.hostKey ?? NO_SUCH_HOST_KEY };
        }
        case 'no-such-room':
          return { ...base, roomId: NO_SUCH_ROOM };
        case 'resume':
        case 'wrong-resume-token':
          // Resuming names the room in `room` (not always the one the token came from).
          if (!view.resume) return base;
          return {
            ...base,
            resume: { peerId: view.resume.peerId, token: request.as === 'resume' ? view.resume.token : WRONG_RESUME_TOKEN },
          };
      }
      break;
    }
    case CLIENT_EVENTS.signal: {
      const data = request.data === 'offer' ? OFFER : request.data === 'candidate' ? CANDIDATE : { candidate: null };
      return { to: peerFor(view, request.to, request.pick), data };
    }
    case CLIENT_EVENTS.mediaState:
      return { audio: request.audio, video: request.video, screen: request.screen };
    case CLIENT_EVENTS.chat:
      return { text: texts[request.text] };
    case CLIENT_EVENTS.hostLock:
      return { locked: request.locked };
    case CLIENT_EVENTS.hostRemove:
      return { peerId: peerFor(view, request.to, request.pick) };
    case CLIENT_EVENTS.quality: {
      const target = peerFor(view, request.to, request.pick);
      const others = request.everyone && view.roomId ? view.peersIn(view.roomId).filter((peer) => peer !== view.peerId && peer !== target) : [];
      return { samples: [target, ...others].slice(0, LIMITS.qualitySamplesPerMessage).map(qualitySample) };
    }
    case CLIENT_EVENTS.leave:
    case CLIENT_EVENTS.hostEnd:
      return undefined;
  }
  return undefined;
}

function mutate(payload: unknown, mutation: Mutation, field: number): unknown {
  const object: Record<string, unknown> = payload && typeof payload === 'object' ? { ...(payload as object) } : {};
  const keys = Object.keys(object);
  const key = keys.length ? keys[field % keys.length] : 'field';
  const value = object[key];
  switch (mutation) {
    case 'wrong-type':
      object[key] = typeof value === 'string' ? 12345 : typeof value === 'number' ? 'twelve' : typeof value === 'boolean' ? 'yes' : true;
      return object;
    case 'extra-field':
      return { ...object, from: NO_SUCH_PEER, isHost: true, constructor: { prototype: { admin: true } } };
    case 'oversized-string':
      // Past every field limit but under the socket's message limit, so the schema is what refuses it.
      object[key] = 'x'.repeat(LIMITS.maxMessageBytes / 2);
      return object;
    case 'controls-and-bidi':
      object[key] = typeof value === 'string' ? `${CONTROLS}${value}` : CONTROLS;
      return object;
  }
}

function deeplyNested(depth: number): unknown {
  let value: unknown = {};
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

const malformedPayloads: Record<Exclude<Malformed, 'no-ack' | 'extra-args'>, () => unknown> = {
  string: () => 'join me',
  number: () => 42,
  array: () => [1, 'two', { three: 3 }],
  null: () => null,
  'deeply-nested': () => deeplyNested(400),
  // Past LIMITS.maxMessageBytes: Socket.IO closes the connection that sent it.
  huge: () => ({ text: 'x'.repeat(LIMITS.maxMessageBytes + 1024) }),
};

/**
 * The arguments an emit carries before its ack, and whether it asks for an
 * ack at all (a client may send without one; the server must not care).
 */
export function emitArgs(request: Request, form: Form, client: number, view: SenderView): { args: unknown[]; ack: boolean } {
  const valid = validPayload(request, client, view);
  if ('valid' in form) return { args: valid === undefined ? [] : [valid], ack: true };
  if ('mutation' in form) return { args: [mutate(valid, form.mutation, form.field)], ack: true };
  switch (form.malformed) {
    case 'no-ack':
      return { args: valid === undefined ? [] : [valid], ack: false };
    case 'extra-args':
      return { args: [valid ?? {}, 'unexpected', { second: true }], ack: true };
    default:
      return { args: [malformedPayloads[form.malformed]()], ack: true };
  }
}
