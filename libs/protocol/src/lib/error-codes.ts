/**
 * The closed list of error codes a client can receive, in a socket ack
 * (`{ok:false, error:{code, message}}`) or in a REST error body (`{code, message}`).
 *
 * UNAVAILABLE is the one code beyond the rejection reasons of the protocol: it
 * tells a client that a dependency (database, Redis) is down, so it can retry
 * instead of waiting for an ack that never comes.
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
