import { LIMITS, parsePayload, signalRequestSchema } from '@mesh-meet/protocol';
import { parseSignalRequest } from './signal-request';

const TO = 'AbCdEfGh_-123456';

/** What browsers send: perfect negotiation's descriptions and trickle ICE's candidates. */
const BROWSER_PAYLOADS: Record<string, unknown>[] = [
  { to: TO, data: { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } } },
  { to: TO, data: { description: { type: 'answer', sdp: 'v=0\r\n' } } },
  { to: TO, data: { description: { type: 'pranswer', sdp: '' } } },
  { to: TO, data: { description: { type: 'rollback' } } },
  { to: TO, data: { description: { type: 'offer', sdp: 's'.repeat(LIMITS.sdpMaxLength) } } },
  {
    to: TO,
    data: {
      candidate: {
        candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host',
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: 'abcd',
      },
    },
  },
  { to: TO, data: { candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null } } },
  { to: TO, data: { candidate: { candidate: 'c'.repeat(LIMITS.candidateMaxLength), sdpMLineIndex: 1024 } } },
  { to: TO, data: { candidate: { candidate: 'candidate:2' } } },
  { to: TO, data: { candidate: null } },
  // A browser whose peer owns the pair's ICE restarts asks for one.
  { to: TO, data: { restartIce: true } },
  // A sender's own `from` is dropped, not refused (the server stamps it).
  { to: TO, from: 'someone-else', data: { candidate: null } },
];

/** Values put in place of every field in turn. */
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'offer',
  'AbCdEfGh',
  'bad id!',
  'a'.repeat(7),
  'a'.repeat(33),
  's'.repeat(LIMITS.sdpMaxLength + 1),
  'c'.repeat(LIMITS.candidateMaxLength + 1),
  'm'.repeat(65),
  'u'.repeat(257),
  0,
  -1,
  1.5,
  1024,
  1025,
  Number.NaN,
  true,
  {},
  [],
  { type: 'offer' },
  { candidate: 'x' },
  Object.create(null),
];

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Every object path of a payload (`[]` is the payload itself). */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function at(root: unknown, path: string[]): Record<string, unknown> {
  return path.reduce((node, key) => (node as Record<string, unknown>)[key], root) as Record<string, unknown>;
}

/** Each browser payload with one field replaced, removed, or one key added, at every depth. */
function variants(): unknown[] {
  const out: unknown[] = [];
  for (const payload of BROWSER_PAYLOADS) {
    for (const path of paths(payload)) {
      const keys = Object.keys(at(payload, path));
      for (const key of keys) {
        for (const replacement of REPLACEMENTS) {
          const copy = clone(payload);
          at(copy, path)[key] = replacement;
          out.push(copy);
        }
        const without = clone(payload);
        delete at(without, path)[key];
        out.push(without);
      }
      for (const extra of ['extra', 'type', 'candidate', 'description', 'sdp', '__proto__']) {
        const copy = clone(payload);
        Object.defineProperty(at(copy, path), extra, { value: 'x', enumerable: true, configurable: true, writable: true });
        out.push(copy);
      }
    }
  }
  return out;
}

const ODD_PAYLOADS: unknown[] = [
  undefined,
  null,
  'signal',
  42,
  [],
  [TO, { candidate: null }],
  { to: TO },
  { data: { candidate: null } },
  { to: TO, data: { description: { type: 'offer' }, candidate: null } },
  { to: TO, data: { restartIce: false } },
  { to: TO, data: { restartIce: 1 } },
  { to: TO, data: { restartIce: true, candidate: null } },
  { to: TO, data: Object.assign(Object.create(null), { candidate: null }) },
  Object.assign(Object.create(null), { to: TO, data: { candidate: null } }),
  JSON.parse(`{"to":"${TO}","data":{"candidate":null,"__proto__":{"x":1}}}`),
  JSON.parse(`{"to":"${TO}","data":{"description":{"type":"offer","__proto__":{}}}}`),
  { to: TO, data: { candidate: { candidate: 'c', sdpMLineIndex: -0 } } },
  { to: TO, data: { candidate: { candidate: 'c', sdpMLineIndex: Number.POSITIVE_INFINITY } } },
  { to: TO, data: { candidate: { candidate: 'c', sdpMid: undefined } } },
  { to: TO, data: { description: { type: 'offer', sdp: undefined } } },
  { to: new String(TO), data: { candidate: null } },
  { to: TO, data: { description: new (class Description { type = 'offer'; })() } },
];

describe('parseSignalRequest', () => {
  it('gives what the protocol schema gives, for browser payloads and over a thousand variations of them', () => {
    const inputs = [...BROWSER_PAYLOADS, ...ODD_PAYLOADS, ...variants()];
    expect(inputs.length).toBeGreaterThan(1000);
    let accepted = 0;
    for (const input of inputs) {
      const expected = parsePayload(signalRequestSchema, input);
      const actual = parseSignalRequest(input);
      if (expected.ok !== actual.ok) throw new Error(`disagrees on ${JSON.stringify(input)}: schema ${expected.ok}`);
      expect(actual).toStrictEqual(expected);
      if (actual.ok) accepted += 1;
    }
    // Both sides of the check are exercised, not only refusals.
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts what browsers send without running the schema', () => {
    const safeParse = jest.spyOn(signalRequestSchema, 'safeParse');
    try {
      for (const payload of BROWSER_PAYLOADS) expect(parseSignalRequest(payload).ok).toBe(true);
      expect(safeParse).not.toHaveBeenCalled();
    } finally {
      safeParse.mockRestore();
    }
  });

  it('refuses with the schema’s own message, naming the field and not echoing its value', () => {
    const result = parseSignalRequest({ to: TO, data: { candidate: { candidate: 'c', sdpMLineIndex: 'secret-ish' } } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(result.ok ? '' : result.error.message).toContain('data');
    expect(result.ok ? '' : result.error.message).not.toContain('secret-ish');
  });
});
