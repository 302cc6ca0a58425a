import type { ErrorCode, Failure } from '@mesh-meet/protocol';

/** A rejection with a protocol error code; the gateway turns it into `{ok:false, error}`. */
export class SignalingError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignalingError';
  }
}

export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}
