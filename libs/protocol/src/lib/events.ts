import type { z } from 'zod';
import {
  chatMessageSchema,
  chatRequestSchema,
  closingSchema,
  emptyRequestSchema,
  hostLockRequestSchema,
  hostRemoveRequestSchema,
  joinAckSchema,
  joinRequestSchema,
  mediaStateRequestSchema,
  okAckSchema,
  peerJoinedSchema,
  peerLeftSchema,
  peerMediaStateSchema,
  removedSchema,
  roomEndedSchema,
  roomUpdatedSchema,
  signalEventSchema,
  signalRequestSchema,
} from './schemas';
import { qualityRequestSchema } from './quality';

/** The Socket.IO namespace every browser connects to. */
export const SIGNALING_NAMESPACE = '/signaling';

/**
 * One browser -> server event: the schema the server parses its payload with
 * and the schema of the ack it answers. `ackRequired` marks an event whose ack
 * carries data the client cannot do without (the others answer `{ok}` and a
 * client may send them without an ack, then it gets no answer).
 */
export interface ClientEventContract {
  readonly request: z.ZodType;
  readonly ack: z.ZodType;
  readonly ackRequired?: true;
}

/**
 * Browser -> server: every event name, its payload and its ack, declared once.
 * The names, the event maps and the JSON Schema are all derived from here.
 */
export const CLIENT_EVENT_SCHEMAS = {
  join: { request: joinRequestSchema, ack: joinAckSchema, ackRequired: true },
  signal: { request: signalRequestSchema, ack: okAckSchema },
  'media-state': { request: mediaStateRequestSchema, ack: okAckSchema },
  chat: { request: chatRequestSchema, ack: okAckSchema },
  leave: { request: emptyRequestSchema, ack: okAckSchema },
  'host:lock': { request: hostLockRequestSchema, ack: okAckSchema },
  'host:remove': { request: hostRemoveRequestSchema, ack: okAckSchema },
  'host:end': { request: emptyRequestSchema, ack: okAckSchema },
  quality: { request: qualityRequestSchema, ack: okAckSchema },
} as const satisfies Record<string, ClientEventContract>;

/** Server -> browser: every event name and the schema of its payload, declared once. */
export const SERVER_EVENT_SCHEMAS = {
  'peer-joined': peerJoinedSchema,
  'peer-left': peerLeftSchema,
  signal: signalEventSchema,
  'peer-media-state': peerMediaStateSchema,
  'chat-message': chatMessageSchema,
  'room-updated': roomUpdatedSchema,
  removed: removedSchema,
  'room-ended': roomEndedSchema,
  closing: closingSchema,
} as const satisfies Record<string, z.ZodType>;

export type ClientEventName = keyof typeof CLIENT_EVENT_SCHEMAS;
export type ServerEventName = keyof typeof SERVER_EVENT_SCHEMAS;

export type Ack<T> = (response: T) => void;

type ClientHandler<C extends ClientEventContract> =
  // A payload that may be absent (`leave`, `host:end`): the ack is the only argument.
  undefined extends z.input<C['request']>
    ? (ack?: Ack<z.output<C['ack']>>) => void
    : C extends { ackRequired: true }
      ? (request: z.input<C['request']>, ack: Ack<z.output<C['ack']>>) => void
      : (request: z.input<C['request']>, ack?: Ack<z.output<C['ack']>>) => void;

/**
 * Browser -> server, for `Socket<ServerToClientEvents, ClientToServerEvents>`.
 * Every event takes an ack that answers `{ok:true,…}` or
 * `{ok:false, error:{code, message}}`. The server parses each payload with its
 * schema: these types describe well-behaved clients, they validate nothing.
 */
export type ClientToServerEvents = {
  [E in ClientEventName]: ClientHandler<(typeof CLIENT_EVENT_SCHEMAS)[E]>;
};

/** Server -> browser. The browser parses each with SERVER_EVENT_SCHEMAS[event]. */
export type ServerToClientEvents = {
  [E in ServerEventName]: (event: z.output<(typeof SERVER_EVENT_SCHEMAS)[E]>) => void;
};

export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** `media-state` -> `mediaState`, `host:lock` -> `hostLock`. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S extends `${infer Head}:${infer Tail}`
    ? `${Head}${Capitalize<CamelCase<Tail>>}`
    : S;

/** The names of a table as constants for code (`CLIENT_EVENTS.mediaState === 'media-state'`). */
function eventNames<N extends string>(table: Record<N, unknown>): { readonly [K in N as CamelCase<K>]: K } {
  const names = Object.keys(table).map((name) => [name.replace(/[-:](.)/g, (_, next: string) => next.toUpperCase()), name]);
  return Object.freeze(Object.fromEntries(names)) as { readonly [K in N as CamelCase<K>]: K };
}

export const CLIENT_EVENTS = eventNames(CLIENT_EVENT_SCHEMAS);
export const SERVER_EVENTS = eventNames(SERVER_EVENT_SCHEMAS);
