import {
  LIMITS,
  type ParseResult,
  type SignalRequest,
  parsePayload,
  sessionDescriptionSchema,
  signalRequestSchema,
} from '@mesh-meet/protocol';

/**
 * Parses a `signal` payload: the protocol's zod schema decides, this only
 * saves it the work for the payloads a browser actually sends.
 *
 * `signal` is the one message sent many times a second (every ICE candidate),
 * and zod's parse was the largest cost of ours per relayed signal (about 4%
 * of the server's busy time at 10,000 msg/s, with its allocations). A payload
 * that passes the check below is one the schema accepts, and gives what it
 * would give (the top level stripped to `to` and `data`; inside `data`
 * nothing unknown, so the objects are passed on as they are);
 * `signal-request.spec.ts` holds the two to that. Everything else, every
 * refusal and its message included, goes to the schema.
 */
export function parseSignalRequest(payload: unknown): ParseResult<SignalRequest> {
  if (isPlainObject(payload)) {
    const { to, data } = payload;
    if (isPeerId(to) && isSignalData(data)) return { ok: true, value: { to, data } };
  }
  return parsePayload(signalRequestSchema, payload);
}

// The schema's own bounds, so the two cannot drift apart.
const PEER_ID = new RegExp(`^[A-Za-z0-9_-]{${LIMITS.peerIdMinLength},${LIMITS.peerIdMaxLength}}$`);
const DESCRIPTION_TYPES: ReadonlySet<unknown> = new Set(sessionDescriptionSchema.shape.type.options);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isPeerId(value: unknown): value is string {
  return typeof value === 'string' && PEER_ID.test(value);
}

/** Own enumerable keys all among `allowed` (zod's strictObject refuses any other). */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !allowed.includes(key)) return false;
  }
  return true;
}

function isSignalData(data: unknown): data is SignalRequest['data'] {
  if (!isPlainObject(data)) return false;
  if (Object.hasOwn(data, 'description')) return onlyKeys(data, ['description']) && isDescription(data['description']);
  if (Object.hasOwn(data, 'candidate')) return onlyKeys(data, ['candidate']) && isCandidate(data['candidate']);
  if (Object.hasOwn(data, 'restartIce')) return onlyKeys(data, ['restartIce']) && data['restartIce'] === true;
  return false;
}

function isDescription(value: unknown): boolean {
  if (!isPlainObject(value) || !onlyKeys(value, ['type', 'sdp'])) return false;
  const { type, sdp } = value;
  // `.optional()`: absent or undefined.
  return DESCRIPTION_TYPES.has(type) && (sdp === undefined || isString(sdp, LIMITS.sdpMaxLength));
}

function isCandidate(value: unknown): boolean {
  if (value === null) return true;
  if (!isPlainObject(value) || !onlyKeys(value, ['candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment'])) {
    return false;
  }
  const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = value;
  // `.nullable().optional()`: absent, undefined, null, or a valid value.
  return (
    isString(candidate, LIMITS.candidateMaxLength) &&
    (sdpMid == null || isString(sdpMid, LIMITS.sdpMidMaxLength)) &&
    (sdpMLineIndex == null || isIndex(sdpMLineIndex)) &&
    (usernameFragment == null || isString(usernameFragment, LIMITS.usernameFragmentMaxLength))
  );
}

function isString(value: unknown, maxLength: number): boolean {
  return typeof value === 'string' && value.length <= maxLength;
}

function isIndex(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= LIMITS.sdpMLineIndexMax;
}
