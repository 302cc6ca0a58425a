import type { ErrorCode } from '@mesh-meet/protocol';

/** A meeting rule said no, with a protocol error code; the gateway turns it into `{ok:false, error}`. */
export class MeetingError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MeetingError';
  }
}
