import { joinAckSchema, joinRequestSchema, signalDataSchema, signalRequestSchema } from './schemas';
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
