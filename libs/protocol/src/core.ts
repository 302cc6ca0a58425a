/*
 * The part of the protocol that needs no zod at run time: codes, limits, room
 * ids and types. Pages that must load fast (the home page) import this entry
 * point; the schemas and the event tables built from them come with the full
 * entry point when a meeting opens.
 */
export * from './lib/error-codes';
export * from './lib/limits';
export * from './lib/room-id';
export type {
  Ack,
  ClientEventName,
  ClientToServerEvents,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from './lib/events';
