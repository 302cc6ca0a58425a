import {
  hostAccessRequestSchema,
  hostMuteRequestSchema,
  hostRequestDecisionSchema,
  joinAckSchema,
  joinDeniedSchema,
  joinRequestSchema,
  mutedByHostSchema,
  roomUpdatedSchema,
  signalDataSchema,
  signalRequestSchema,
} from './schemas';
import { createRoomRequestSchema } from './rest';
import { normalizeRoomId } from './room-id';
import { parsePayload } from './parse';
import { ERROR_CODES, isErrorCode } from './error-codes';

describe('room ids', () => {
  it.each([
    ['abc-defg-hij', 'abc-defg-hij'],
    ['ABCDEFGHIJ', 'abc-defg-hij'],
    [' abc defg hij ', 'abc-defg-hij'],
    ['abc--defghij', 'abc-defg-hij'],
  ])('reads %p as %p', (typed, canonical) => {
    expect(normalizeRoomId(typed)).toBe(canonical);
  });

  it.each(['abc-defg-hi', 'abc-defg-hijk', 'abc-d3fg-hij', '', '../../etc/passwd'])('refuses %p', (typed) => {
    expect(normalizeRoomId(typed)).toBeNull();
  });
});

describe('join request', () => {
  it('trims the name and normalises the room id', () => {
    const parsed = joinRequestSchema.parse({ roomId: 'ABC DEFG HIJ', name: '  Hana  ' });
    expect(parsed).toEqual({ roomId: 'abc-defg-hij', name: 'Hana' });
  });

  it('counts the name limit after trimming: 40 fits, 41 does not', () => {
    expect(joinRequestSchema.safeParse({ roomId: 'abc-defg-hij', name: ` ${'a'.repeat(40)} ` }).success).toBe(true);
    expect(joinRequestSchema.safeParse({ roomId: 'abc-defg-hij', name: 'a'.repeat(41) }).success).toBe(false);
  });

  it('refuses unknown fields and wrong types', () => {
    expect(joinRequestSchema.safeParse({ roomId: 'abc-defg-hij', name: 'A', admin: true }).success).toBe(false);
    expect(joinRequestSchema.safeParse({ roomId: 'abc-defg-hij', name: 'A', userId: 'not-a-uuid' }).success).toBe(false);
  });
});

describe('signal data', () => {
  it('accepts a description, a candidate and the end-of-candidates null', () => {
    expect(signalDataSchema.safeParse({ description: { type: 'offer', sdp: 'v=0' } }).success).toBe(true);
    expect(signalDataSchema.safeParse({ candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } }).success).toBe(true);
    expect(signalDataSchema.safeParse({ candidate: null }).success).toBe(true);
  });

  it('accepts a request to restart ICE, exactly `{restartIce: true}`', () => {
    expect(signalDataSchema.safeParse({ restartIce: true }).success).toBe(true);
    expect(signalDataSchema.safeParse({ restartIce: false }).success).toBe(false);
    expect(signalDataSchema.safeParse({ restartIce: 'yes' }).success).toBe(false);
    expect(signalDataSchema.safeParse({ restartIce: true, candidate: null }).success).toBe(false);
  });

  it('refuses anything else', () => {
    expect(signalDataSchema.safeParse({}).success).toBe(false);
    expect(signalDataSchema.safeParse({ description: { type: 'offer', sdp: 1 } }).success).toBe(false);
    expect(signalDataSchema.safeParse({ script: '<x>' }).success).toBe(false);
  });

  it('drops a client-sent from instead of trusting it', () => {
    const parsed = signalRequestSchema.parse({ to: 'AAAAAAAAAAAAAAAA', from: 'BBBBBBBBBBBBBBBB', data: { candidate: null } });
    expect(parsed).toEqual({ to: 'AAAAAAAAAAAAAAAA', data: { candidate: null } });
  });
});

describe('parsePayload', () => {
  it('names the fields at fault without echoing their values', () => {
    const result = parsePayload(joinRequestSchema, { roomId: 'nope', name: 'secret-looking-value'.repeat(3) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_PAYLOAD');
    expect(result.fields.map((field) => field.path).sort()).toEqual(['name', 'roomId']);
    expect(result.error.message).not.toContain('secret-looking-value');
  });

  it('describes a payload that is not an object at all', () => {
    const result = parsePayload(joinRequestSchema, 42);
    expect(result).toMatchObject({ ok: false, fields: [{ path: '(payload)' }] });
  });
});

describe('acks and error codes', () => {
  it('parses both shapes of a join ack', () => {
    expect(joinAckSchema.safeParse({ ok: false, error: { code: 'ROOM_FULL', message: 'full' } }).success).toBe(true);
    expect(joinAckSchema.safeParse({ ok: false, error: { code: 'SOMETHING_ELSE', message: '' } }).success).toBe(false);
  });

  it('keeps one closed list of codes', () => {
    expect(ERROR_CODES).toContain('RATE_LIMITED');
    expect(isErrorCode('ROOM_LOCKED')).toBe(true);
    expect(isErrorCode('NOPE')).toBe(false);
  });
});

describe('access modes and the waiting room', () => {
  const room = { roomId: 'abc-defg-hij', name: 'Sync', access: 'ask', locked: false, maxParticipants: 6 };
  const waiting = {
    ok: true,
    waiting: { requestId: 'Req_12345678', hostPresent: false, expiresAt: '2026-01-01T00:10:00.000Z' },
    identity: 'token',
    room,
  };

  it('parses a waiting join ack as its own shape, not as a join with a seat', () => {
    const parsed = joinAckSchema.parse(waiting);
    expect('waiting' in parsed && parsed.waiting.requestId).toBe('Req_12345678');
    expect(joinAckSchema.safeParse({ ...waiting, self: {} }).success).toBe(false);
  });

  it('takes open, ask and locked as access, nothing else', () => {
    expect(['open', 'ask', 'locked'].map((access) => hostAccessRequestSchema.safeParse({ access }).success)).toEqual([true, true, true]);
    expect(hostAccessRequestSchema.safeParse({ access: 'closed' }).success).toBe(false);
    expect(roomUpdatedSchema.safeParse({ locked: true }).success).toBe(false);
  });

  it('names a request by a server-issued id, and refuses anything shaped otherwise', () => {
    expect(hostRequestDecisionSchema.safeParse({ requestId: 'Req_12345678' }).success).toBe(true);
    expect(hostRequestDecisionSchema.safeParse({ requestId: '../x' }).success).toBe(false);
    expect(hostRequestDecisionSchema.safeParse({ requestId: 'Req_12345678', admit: true }).success).toBe(false);
  });

  it('says why a request ended without admission, from a closed list', () => {
    expect(joinDeniedSchema.safeParse({ requestId: 'Req_12345678', reason: 'denied' }).success).toBe(true);
    expect(joinDeniedSchema.safeParse({ requestId: 'Req_12345678', reason: 'bored' }).success).toBe(false);
  });

  it('lets a mute name one peer and carries who asked, and has no unmute', () => {
    expect(hostMuteRequestSchema.safeParse({ peerId: 'AAAAAAAAAAAAAAAA' }).success).toBe(true);
    expect(hostMuteRequestSchema.safeParse({ peerId: 'AAAAAAAAAAAAAAAA', audio: true }).success).toBe(false);
    expect(mutedByHostSchema.safeParse({ by: 'Hana' }).success).toBe(true);
  });

  it('creates a room open unless told otherwise', () => {
    expect(createRoomRequestSchema.parse({})).toEqual({});
    expect(createRoomRequestSchema.parse({ access: 'ask' })).toEqual({ access: 'ask' });
    expect(createRoomRequestSchema.safeParse({ access: 'secret' }).success).toBe(false);
  });
});
