import { edited, loadFixture } from '../../../testing/stats-fixtures';
import { linkStats, selectedPair, statsEntries } from './link-stats';

describe('linkStats on reports recorded from Chromium', () => {
  const direct = loadFixture('chromium-direct');

  it('reads the round trip of the selected pair, and rates from the two reports', () => {
    const [first, second] = direct.reports;
    const stats = linkStats(first, second);
    expect(stats.intervalMs).toBeGreaterThan(1500);
    expect(stats.intervalMs).toBeLessThan(3000);
    expect(stats.rttMs).toBeCloseTo(1, 5);
    expect(stats.lossIn).toBe(0);
    expect(stats.lossOut).toBe(0);
    // The fake camera at 640x480: a few hundred kbit/s each way.
    expect(stats.bitrateIn).toBeGreaterThan(100_000);
    expect(stats.bitrateOut).toBeGreaterThan(100_000);
    expect(stats).toMatchObject({ fps: 20, frameHeight: 480, freezeCount: 0, totalFreezesDuration: 0, freezesInInterval: 0 });
    expect(stats).toMatchObject({ localCandidateType: 'host', remoteCandidateType: 'host', relayProtocol: null, limitation: 'none' });
    expect(stats.receiving).toBe(true);
    expect(stats.jitterMs).toBeCloseTo(1, 5);
  });

  it('has no rates for the first report of a connection', () => {
    const stats = linkStats(null, direct.reports[0]);
    expect(stats).toMatchObject({ intervalMs: 0, lossIn: null, lossOut: null, bitrateIn: null, bitrateOut: null, receiving: null });
    expect(stats.rttMs).not.toBeNull();
    expect(stats.localCandidateType).toBe('host');
  });

  it('sees a path relayed through TURN, and how we reach the relay', () => {
    const [first, second] = loadFixture('chromium-relay').reports;
    expect(linkStats(first, second)).toMatchObject({ localCandidateType: 'relay', remoteCandidateType: 'relay', relayProtocol: 'udp' });
  });

  it('sees our video limited by bandwidth, and the freezes it caused on the way back', () => {
    const [first, second] = loadFixture('chromium-limited').reports;
    const stats = linkStats(first, second);
    expect(stats.limitation).toBe('bandwidth');
    expect(stats.sentFrameHeight).toBe(240);
    expect(stats.frameHeight).toBe(240);
    expect(stats.freezeCount).toBe(3);
    expect(stats.totalFreezesDuration).toBeCloseTo(0.878, 3);
  });

  it('counts loss both ways from the counters (synthetic loss added to a real report)', () => {
    const [first, second] = direct.reports;
    // 5 % of what came in lost: add lost packets to the later report's inbound streams.
    const lossy = edited(second, (entry) => {
      if (entry.type === 'inbound-rtp') {
        const before = first.find((earlier) => earlier.id === entry.id) as typeof entry;
        const received = (entry['packetsReceived'] as number) - (before['packetsReceived'] as number);
        entry['packetsLost'] = (before['packetsLost'] as number) + Math.round((received * 5) / 95);
      }
      if (entry.type === 'remote-inbound-rtp') entry['packetsLost'] = 40;
      return entry;
    });
    const stats = linkStats(first, lossy);
    expect(stats.lossIn).toBeCloseTo(0.05, 2);
    expect(stats.lossOut).toBeGreaterThan(0.05);
  });

  it('finds no media arriving when the counters stood still', () => {
    const [first] = direct.reports;
    const later = first.map((entry) => ({ ...entry, timestamp: entry.timestamp + 2000 }));
    expect(linkStats(first, later)).toMatchObject({ receiving: false, bitrateIn: 0 });
  });

  it('ignores a counter that went backwards (a restarted stream) instead of reporting negative rates', () => {
    const [first, second] = direct.reports;
    const restarted = edited(second, (entry) => (entry.type === 'inbound-rtp' ? { ...entry, bytesReceived: 10, packetsReceived: 1 } : entry));
    const stats = linkStats(first, restarted);
    expect(stats.bitrateIn).toBe(0);
    expect(stats.lossIn).toBe(0);
  });
});

describe('linkStats on reports recorded from Firefox', () => {
  const [first, second] = loadFixture('firefox-direct').reports;

  it('reads the same fields, without a limitation reason (Firefox has none)', () => {
    const stats = linkStats(first, second);
    expect(stats.limitation).toBeNull();
    expect(stats).toMatchObject({ localCandidateType: 'host', remoteCandidateType: 'host', frameHeight: 480 });
    expect(stats.fps).toBeGreaterThan(10);
    expect(stats.bitrateIn).toBeGreaterThan(100_000);
    expect(stats.rttMs).not.toBeNull();
    expect(stats.lossIn).toBe(0);
  });

  it("finds the selected pair by candidate-pair.selected where the transport does not name it (older Firefox)", () => {
    const older = edited(second, (entry) => {
      if (entry.type === 'transport') delete entry['selectedCandidatePairId'];
      return entry;
    });
    expect(selectedPair(older)?.['selected']).toBe(true);
    expect(linkStats(first, older).localCandidateType).toBe('host');
  });
});

describe('selectedPair', () => {
  it('falls back to the nominated pair that carried the most bytes', () => {
    const [, second] = loadFixture('chromium-direct').reports;
    const noTransport = second.filter((entry) => entry.type !== 'transport');
    const pair = selectedPair(noTransport);
    expect(pair?.['nominated']).toBe(true);
    expect(pair?.['bytesReceived']).toBeGreaterThan(0);
  });
});

describe('statsEntries', () => {
  it('takes the entries of a Map-like report and drops what is not a stats object', () => {
    const report = new Map<string, unknown>([
      ['a', { id: 'a', type: 'transport', timestamp: 1 }],
      ['b', null],
    ]);
    expect(statsEntries(report)).toEqual([{ id: 'a', type: 'transport', timestamp: 1 }]);
  });
});
