import { qualityRequestSchema } from '@mesh-meet/protocol';
import { type FixtureName, loadFixture } from '../../../testing/stats-fixtures';
import { linkStats } from './link-stats';
import { qualitySample } from './quality-sample';

const PEER = 'AAAAAAAAAAAAAAAA';

describe('qualitySample', () => {
  it.each<FixtureName>(['chromium-direct', 'chromium-relay', 'chromium-limited', 'firefox-direct'])(
    'turns two real %s reports into a sample the protocol accepts',
    (name) => {
      const [first, second] = loadFixture(name).reports;
      const sample = qualitySample(PEER, linkStats(first, second), 0);
      expect(sample).not.toBeNull();
      expect(qualityRequestSchema.safeParse({ samples: [sample] }).success).toBe(true);
    },
  );

  it('carries the window’s freezes, the path and the limitation (recorded: bandwidth-limited Chromium)', () => {
    const [first, second] = loadFixture('chromium-limited').reports;
    const stats = linkStats(first, second);
    const sample = qualitySample(PEER, stats, 2);
    expect(sample).toMatchObject({
      peerId: PEER,
      frameHeightIn: 240,
      freezeCount: stats.freezesInInterval,
      localCandidateType: 'host',
      relayProtocol: null,
      qualityLimitationReason: 'bandwidth',
      iceRestarts: 2,
    });
    expect(Number.isInteger(sample?.bitrateIn)).toBe(true);
    expect(sample?.windowSec).toBeGreaterThan(1.5);
  });

  it('sends bandwidth only when the path’s estimate is under our own cap (the encoder merely at our cap is not the network)', () => {
    const [first, second] = loadFixture('chromium-limited').reports;
    const stats = linkStats(first, second);
    // Recorded: the estimate is about 238 kbit/s.
    expect(qualitySample(PEER, stats, 0, 1_000_000)?.qualityLimitationReason).toBe('bandwidth');
    expect(qualitySample(PEER, stats, 0, 250_000)?.qualityLimitationReason).toBe('none');
  });

  it('has no sample for a first report (no window yet)', () => {
    expect(qualitySample(PEER, linkStats(null, loadFixture('chromium-direct').reports[0]), 0)).toBeNull();
  });

  it('keeps odd browser numbers within what the server accepts', () => {
    const [first, second] = loadFixture('chromium-direct').reports;
    const stats = { ...linkStats(first, second), rttMs: 1e9, lossIn: 1.7, fps: -3 };
    const sample = qualitySample(PEER, stats, 1000);
    expect(sample).toMatchObject({ rttMs: 60_000, lossIn: 1, fpsIn: 0, iceRestarts: 100 });
    expect(qualityRequestSchema.safeParse({ samples: [sample] }).success).toBe(true);
  });
});
