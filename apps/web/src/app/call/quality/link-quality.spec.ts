import { loadFixture } from '../../../testing/stats-fixtures';
import { assessLink, worse } from './link-quality';
import { type LinkStats, linkStats } from './link-stats';
import { isRelayed, linkDetails, linkSummary } from './quality-words';
import { EN } from '../../core/i18n/messages';

const t = (key: keyof typeof EN, values: Record<string, string | number> = {}) =>
  EN[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));

const direct = (): LinkStats => {
  const [first, second] = loadFixture('chromium-direct').reports;
  return linkStats(first, second);
};

describe('assessLink', () => {
  it('calls a real loopback call good', () => {
    expect(assessLink(direct(), { videoExpected: true })).toEqual({ level: 'good', reasons: [] });
  });

  it('is fair with some loss or delay, poor with much, naming each reason', () => {
    expect(assessLink({ ...direct(), lossIn: 0.04 }, { videoExpected: true })).toEqual({ level: 'fair', reasons: ['loss-in'] });
    expect(assessLink({ ...direct(), lossOut: 0.15, rttMs: 400 }, { videoExpected: true })).toEqual({ level: 'poor', reasons: ['loss-out', 'rtt'] });
    expect(assessLink({ ...direct(), jitterMs: 150 }, { videoExpected: true }).level).toBe('poor');
  });

  it('counts freezes in the interval, and a second or more frozen as poor (recorded: a bandwidth-limited call)', () => {
    const [first, second] = loadFixture('chromium-limited').reports;
    const stats = linkStats(first, second);
    const quality = assessLink(stats, { videoExpected: true });
    if (stats.freezesInInterval > 0) expect(quality.reasons).toContain('freezes');
    expect(assessLink({ ...stats, freezesInInterval: 1, frozenSecondsInInterval: 1.5 }, { videoExpected: true }).level).toBe('poor');
    expect(assessLink({ ...stats, freezesInInterval: 1, frozenSecondsInInterval: 0.3 }, { videoExpected: true })).toMatchObject({ reasons: expect.arrayContaining(['freezes']) });
  });

  it('counts a low frame rate only when their video is on', () => {
    expect(assessLink({ ...direct(), fps: 3 }, { videoExpected: true })).toEqual({ level: 'poor', reasons: ['low-fps'] });
    expect(assessLink({ ...direct(), fps: 3 }, { videoExpected: false }).level).toBe('good');
  });

  it('is poor when nothing arrives, once media had started', () => {
    expect(assessLink({ ...direct(), receiving: false }, { videoExpected: false })).toEqual({ level: 'poor', reasons: ['no-media'] });
    expect(assessLink({ ...direct(), receiving: false, fps: 0 }, { videoExpected: true, mediaStarted: false })).toEqual({ level: 'good', reasons: [] });
  });

  it('orders levels', () => {
    expect(worse('good', 'fair')).toBe('fair');
    expect(worse('poor', 'fair')).toBe('poor');
    expect(worse('good', 'good')).toBe('good');
  });
});

describe('the words for a link', () => {
  it('says "Relayed, 180 ms, 4% loss"', () => {
    const [first, second] = loadFixture('chromium-relay').reports;
    const stats = { ...linkStats(first, second), rttMs: 180.4, lossIn: 0.04, lossOut: 0.01 };
    expect(isRelayed(stats)).toBe(true);
    expect(linkSummary(stats, t)).toBe('Relayed, 180 ms, 4% loss');
  });

  it('leaves out a loss there is not, and says direct for a direct path', () => {
    expect(linkSummary(direct(), t)).toBe('Direct, 1 ms');
  });

  it('details what is wrong in plain words, with the name', () => {
    const stats = { ...direct(), lossIn: 0.12, freezeCount: 2, totalFreezesDuration: 1.25 };
    const lines = linkDetails(stats, assessLink(stats, { videoExpected: true }), 'Kumi', t);
    expect(lines[0]).toBe('Poor connection');
    expect(lines).toContain('12% of what Kumi sends is lost on the way to you.');
    expect(lines).toContain('Your browsers talk directly.');
    expect(lines).toContain('Video from Kumi: 480p, 20 frames a second.');
    expect(lines).toContain('Froze 2 times (1.3 s in all) since the call began.');
  });
});
