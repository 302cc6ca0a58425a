import type { QualitySample } from '@mesh-meet/protocol';
import type { PageVisibility } from '../../core/browser.tokens';
import { loadFixture } from '../../../testing/stats-fixtures';
import type { StatsEntry } from './link-stats';
import { type LinkView, type MonitoredLink, QualityMonitor } from './quality-monitor';

/** A connection whose getStats() hands out recorded reports, the last one again once they run out. */
function recordedConnection(reports: StatsEntry[][]) {
  let index = 0;
  return {
    getStats: jest.fn(async () => new Map(reports[Math.min(index++, reports.length - 1)].map((entry) => [entry.id, entry])) as unknown as RTCStatsReport),
  };
}

/** Later copies of a report: counters and clocks moved on as in the recorded interval. */
function advanced(first: StatsEntry[], second: StatsEntry[], steps: number): StatsEntry[] {
  const before = new Map(first.map((entry) => [entry.id, entry]));
  return second.map((entry) => {
    const earlier = before.get(entry.id);
    if (!earlier) return entry;
    const moved: StatsEntry = { ...entry };
    for (const [key, value] of Object.entries(entry)) {
      const old = earlier[key];
      if (typeof value === 'number' && typeof old === 'number' && /^(timestamp|bytes|packets|frames|total)/.test(key)) moved[key] = value + (value - old) * steps;
    }
    return moved;
  });
}

function fakeVisibility(visible = true) {
  let listener: ((visible: boolean) => void) | undefined;
  const visibility: PageVisibility & { set(visible: boolean): void; listening(): boolean } = {
    visible: () => visible,
    onChange: (next) => {
      listener = next;
      return () => (listener = undefined);
    },
    set: (next) => {
      visible = next;
      listener?.(next);
    },
    listening: () => listener !== undefined,
  };
  return visibility;
}

describe('QualityMonitor', () => {
  const [first, second] = loadFixture('chromium-direct').reports;
  let clock = 0;
  let views: ReadonlyMap<string, LinkView> = new Map();
  let batches: QualitySample[][] = [];

  function monitor(links: () => MonitoredLink[], visibility = fakeVisibility()) {
    views = new Map();
    batches = [];
    clock = 0;
    return new QualityMonitor({
      links,
      visibility,
      onLinks: (next) => (views = next),
      onSamples: (samples) => batches.push(samples),
      now: () => clock,
    });
  }

  it('shows a level for each link from the first round, and sends a sample per link once a window is full', async () => {
    const connection = recordedConnection([first, second, advanced(first, second, 1), advanced(first, second, 2)]);
    const links = () => [{ peerId: 'AAAAAAAAAAAAAAAA', connection, videoExpected: true, health: 'connected' }];
    const quality = monitor(links);
    await quality.sample();
    expect(views.get('AAAAAAAAAAAAAAAA')?.level).toBe('good');
    expect(batches).toEqual([]);
    clock = 2000;
    await quality.sample();
    expect(batches).toEqual([]);
    clock = 10_000;
    await quality.sample();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([expect.objectContaining({ peerId: 'AAAAAAAAAAAAAAAA', localCandidateType: 'host', lossIn: 0 })]);
    expect(connection.getStats).toHaveBeenCalledTimes(3);
  });

  it('counts the link’s reconnections into its next sample', async () => {
    const connection = recordedConnection([first, second, advanced(first, second, 1)]);
    let health = 'connected';
    const quality = monitor(() => [{ peerId: 'AAAAAAAAAAAAAAAA', connection, videoExpected: false, health }]);
    await quality.sample();
    health = 'reconnecting';
    clock = 2000;
    await quality.sample();
    health = 'connected';
    clock = 10_000;
    await quality.sample();
    expect(batches[0][0].iceRestarts).toBe(1);
  });

  it('forgets a link whose person left', async () => {
    const connection = recordedConnection([first, second]);
    let present = true;
    const quality = monitor(() => (present ? [{ peerId: 'AAAAAAAAAAAAAAAA', connection, videoExpected: false, health: 'connected' }] : []));
    await quality.sample();
    present = false;
    await quality.sample();
    expect(views.size).toBe(0);
  });

  it('skips a connection whose getStats fails (closing) and keeps the others', async () => {
    const broken = { getStats: jest.fn(async () => Promise.reject(new Error('closed'))) };
    const fine = recordedConnection([first]);
    const quality = monitor(() => [
      { peerId: 'AAAAAAAAAAAAAAAA', connection: broken, videoExpected: false, health: 'connected' },
      { peerId: 'BBBBBBBBBBBBBBBB', connection: fine, videoExpected: false, health: 'connected' },
    ]);
    await quality.sample();
    expect([...views.keys()]).toEqual(['BBBBBBBBBBBBBBBB']);
  });

  describe('timing', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('asks each connection at most once per 2 s, and not at all while the tab is hidden', async () => {
      const connection = recordedConnection([first, second]);
      const visibility = fakeVisibility(true);
      const quality = monitor(() => [{ peerId: 'AAAAAAAAAAAAAAAA', connection, videoExpected: false, health: 'connected' }], visibility);
      quality.start();
      await jest.advanceTimersByTimeAsync(1999);
      expect(connection.getStats).toHaveBeenCalledTimes(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(connection.getStats).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(6000);
      expect(connection.getStats).toHaveBeenCalledTimes(4);
      visibility.set(false);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(connection.getStats).toHaveBeenCalledTimes(4);
      visibility.set(true);
      await jest.advanceTimersByTimeAsync(0);
      expect(connection.getStats).toHaveBeenCalledTimes(5);
      quality.stop();
      expect(visibility.listening()).toBe(false);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(connection.getStats).toHaveBeenCalledTimes(5);
    });

    it('starts no window across the time the tab was hidden', async () => {
      const connection = recordedConnection([first, second, advanced(first, second, 30)]);
      const visibility = fakeVisibility(true);
      const quality = monitor(() => [{ peerId: 'AAAAAAAAAAAAAAAA', connection, videoExpected: false, health: 'connected' }], visibility);
      await quality.sample();
      visibility.set(false);
      visibility.set(true);
      clock = 60_000;
      await jest.advanceTimersByTimeAsync(0);
      // The round after the tab came back starts a fresh window instead of sending one a minute long.
      expect(batches).toEqual([]);
      quality.stop();
    });
  });
});
