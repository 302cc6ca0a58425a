import type { ReportSample } from '@mesh-meet/protocol';
import { chartGeometry } from './chart-geometry';

const sample = (seconds: number, overrides: Partial<ReportSample> = {}): ReportSample => ({
  at: new Date(Date.UTC(2026, 10, 29, 14, 0, seconds)).toISOString(),
  windowSec: 10,
  rttMs: 40,
  lossIn: 0,
  lossOut: 0,
  jitterMs: 5,
  bitrateIn: 500_000,
  bitrateOut: 500_000,
  fpsIn: 30,
  frameHeightIn: 480,
  freezeCount: 0,
  totalFreezesDuration: 0,
  localCandidateType: 'host',
  remoteCandidateType: 'host',
  relayProtocol: null,
  qualityLimitationReason: 'none',
  iceRestarts: 0,
  ...overrides,
});
const frame = { from: Date.UTC(2026, 10, 29, 14, 0, 0), to: Date.UTC(2026, 10, 29, 14, 0, 40), width: 400, rowHeight: 30 };

describe('chartGeometry', () => {
  it('places samples on the shared time axis, one row per measure', () => {
    const { rows } = chartGeometry([sample(10), sample(20)], frame);
    expect(rows.map((row) => row.metric)).toEqual(['rtt', 'loss', 'fps']);
    expect(rows.map((row) => row.top)).toEqual([0, 30, 60]);
    // 40 ms of 300 in a 30 px row (28 px drawn, 1 px margins); x at 10 s and 20 s of 40 s over 400 px.
    expect(rows[0].path).toBe('M100 25.3 L200 25.3');
    // Full frame rate is the top of its row.
    expect(rows[2].path).toBe('M100 61 L200 61');
  });

  it('grows a row’s scale with bad values and leaves a gap where a value is missing', () => {
    const { rows } = chartGeometry([sample(10, { lossIn: 0.2 }), sample(20, { lossIn: null }), sample(30, { lossIn: 0.1 })], frame);
    expect(rows[1].max).toBe(20);
    expect(rows[1].path).toBe('M100 31 M300 45');
  });

  it('marks the windows in which the video froze', () => {
    const { freezes } = chartGeometry([sample(10), sample(20, { freezeCount: 2, totalFreezesDuration: 1.5 })], frame);
    expect(freezes).toEqual([{ x: 200, count: 2, seconds: 1.5, at: sample(20).at }]);
  });
});
