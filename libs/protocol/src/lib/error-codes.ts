/**
 * The closed list of error codes a client can receive, in a socket ack
 * (`{ok:false, error:{code, message}}`) or in a REST error body (`{code, message}`).
 *
 * Two codes go beyond the rejection reasons of the protocol. UNAVAILABLE tells
 * a client that a dependency (database, Redis) is down, so it can retry instead
 * of waiting for an ack that never comes. INTERNAL is a bug on the server (a
 * REST 500): nothing was wrong with the request, and retrying will not help.
 */
export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'ROOM_NOT_FOUND',
  'ROOM_FULL',
  'ROOM_LOCKED',
  'ROOM_ENDED',
  'NOT_IN_ROOM',
  'PEER_NOT_FOUND',
  'FORBIDDEN',
  'REMOVED',
  'DENIED',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
