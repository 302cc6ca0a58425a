import { LIMITS } from './limits';
import { parsePayload } from './parse';
import { type QualitySample, qualityRequestSchema } from './quality';
import { meetingReportSchema } from './rest';

const sample = (overrides: Partial<Record<keyof QualitySample | 'address', unknown>> = {}) => ({
  peerId: 'AAAAAAAAAAAAAAAA',
  windowSec: 10,
  rttMs: 42,
  lossIn: 0.004,
  lossOut: 0,
  jitterMs: 6.5,
  bitrateIn: 812_000,
  bitrateOut: 1_150_000,
  fpsIn: 29.5,
  frameHeightIn: 540,
  freezeCount: 0,
  totalFreezesDuration: 0,
  localCandidateType: 'host',
  remoteCandidateType: 'srflx',
  relayProtocol: null,
  qualityLimitationReason: 'none',
  iceRestarts: 0,
  ...overrides,
});

const peer = (index: number) => `PEER${String(index).padStart(4, '0')}xxxxxxxx`;

describe('quality request', () => {
  it('accepts a batch of samples, one per peer', () => {
    const samples = [sample({ peerId: peer(1) }), sample({ peerId: peer(2), localCandidateType: 'relay', relayProtocol: 'tcp' })];
    expect(qualityRequestSchema.parse({ samples })).toEqual({ samples });
  });

  it('accepts null for everything a browser may not report', () => {
    const nothing = sample({
      rttMs: null, lossIn: null, lossOut: null, jitterMs: null, bitrateIn: null, bitrateOut: null, fpsIn: null,
      frameHeightIn: null, freezeCount: null, totalFreezesDuration: null, localCandidateType: null,
      remoteCandidateType: null, relayProtocol: null, qualityLimitationReason: null, iceRestarts: null,
    });
    expect(qualityRequestSchema.safeParse({ samples: [nothing] }).success).toBe(true);
  });

  it.each([
    ['loss in percent', { lossIn: 4 }, 'samples.0.lossIn'],
    ['a negative rtt', { rttMs: -1 }, 'samples.0.rttMs'],
    ['a fractional bitrate', { bitrateOut: 1.5 }, 'samples.0.bitrateOut'],
    ['a bitrate past 1 Gbit/s', { bitrateIn: LIMITS.qualityBitrateMax + 1 }, 'samples.0.bitrateIn'],
    ['an unknown candidate type', { localCandidateType: 'mdns' }, 'samples.0.localCandidateType'],
    ['an unknown limitation', { qualityLimitationReason: 'thermal' }, 'samples.0.qualityLimitationReason'],
    ['a zero window', { windowSec: 0 }, 'samples.0.windowSec'],
    ['an address', { address: '192.0.2.1' }, 'samples.0'],
    ['a missing field', { iceRestarts: undefined }, 'samples.0.iceRestarts'],
    ['a string number', { rttMs: '42' }, 'samples.0.rttMs'],
    ['a peer id that is not one', { peerId: '../x' }, 'samples.0.peerId'],
  ])('refuses %s as INVALID_PAYLOAD naming the field', (_case, overrides, path) => {
    const result = parsePayload(qualityRequestSchema, { samples: [sample(overrides)] });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    if (!result.ok) expect(result.fields.map((field) => field.path)).toContain(path);
  });

  it('refuses an empty batch, too many samples, two for one peer and unknown top-level fields', () => {
    const many = Array.from({ length: LIMITS.qualitySamplesPerMessage + 1 }, (_, index) => sample({ peerId: peer(index) }));
    expect(qualityRequestSchema.safeParse({ samples: many.slice(0, -1) }).success).toBe(true);
    expect(qualityRequestSchema.safeParse({ samples: many }).success).toBe(false);
    expect(qualityRequestSchema.safeParse({ samples: [] }).success).toBe(false);
    expect(qualityRequestSchema.safeParse({ samples: [sample(), sample()] }).success).toBe(false);
    expect(qualityRequestSchema.safeParse({ samples: [sample()], at: '2026-01-01T00:00:00Z' }).success).toBe(false);
    expect(qualityRequestSchema.safeParse(sample()).success).toBe(false);
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(qualityRequestSchema.safeParse({ samples: [sample({ rttMs: Number.POSITIVE_INFINITY })] }).success).toBe(false);
    expect(qualityRequestSchema.safeParse({ samples: [sample({ jitterMs: Number.NaN })] }).success).toBe(false);
  });
});

describe('meeting report', () => {
  it('describes a report with a link and a summary, and refuses a sample that names its peer', () => {
    const { peerId: _peerId, ...measures } = sample();
    const report = {
      room: { roomId: 'abc-defg-hij', name: 'Weekly', createdAt: '2026-11-29T14:00:00.000Z', endedAt: null },
      attendance: [],
      links: [{ from: 'Hana', to: 'Kumi', fromParticipationId: 'a', toParticipationId: 'b', fromPeerId: 'p', toPeerId: 'q', samples: [{ at: '2026-11-29T14:00:10.000Z', ...measures }] }],
      summaries: [{ participationId: 'b', name: 'Kumi', findings: [{ kind: 'freezes', count: 3, durationSec: 4.2 }], text: 'Kumi: 3 freezes, 4.2 s in all.' }],
      truncated: false,
      retentionDays: 30,
    };
    expect(meetingReportSchema.safeParse(report).success).toBe(true);
    report.links[0].samples[0] = { ...report.links[0].samples[0], peerId: 'q' } as never;
    expect(meetingReportSchema.safeParse(report).success).toBe(false);
  });
});
