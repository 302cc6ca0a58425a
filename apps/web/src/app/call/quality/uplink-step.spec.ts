import { loadFixture } from '../../../testing/stats-fixtures';
import { sendLimitsFor } from '../send-limits';
import { linkStats } from './link-stats';
import { UplinkGovernor, networkLimitation, steppedDown, worstLimitation } from './uplink-step';

describe('steppedDown', () => {
  it('sends fewer pixels and frames each step, never fewer bits than a usable minimum', () => {
    const room = sendLimitsFor(1);
    const one = steppedDown(room, 1);
    const two = steppedDown(room, 2);
    expect(steppedDown(room, 0)).toEqual(room);
    expect(one.scaleResolutionDownBy).toBeGreaterThan(room.scaleResolutionDownBy);
    expect(two.scaleResolutionDownBy).toBeGreaterThan(one.scaleResolutionDownBy);
    expect(one.maxFramerate).toBe(15);
    expect(two.maxFramerate).toBe(10);
    expect(steppedDown({ maxBitrate: 100_000, scaleResolutionDownBy: 1, maxFramerate: 30 }, 2).maxBitrate).toBe(60_000);
  });
});

describe('UplinkGovernor', () => {
  it('steps down after two limited rounds in a row, up to two steps', () => {
    const governor = new UplinkGovernor();
    expect(governor.observe('bandwidth', 0)).toBe(false);
    expect(governor.limitedBy).toBe('bandwidth');
    expect(governor.observe('bandwidth', 2000)).toBe(true);
    expect(governor.current).toBe(1);
    governor.observe('cpu', 4000);
    governor.observe('cpu', 6000);
    expect(governor.current).toBe(2);
    governor.observe('cpu', 8000);
    governor.observe('cpu', 10_000);
    expect(governor.current).toBe(2);
  });

  it('does not step down for one limited round between calm ones', () => {
    const governor = new UplinkGovernor();
    governor.observe('bandwidth', 0);
    governor.observe('none', 2000);
    governor.observe('bandwidth', 4000);
    expect(governor.current).toBe(0);
  });

  it('says it is calm again after 10 s, and steps back up after a minute of calm', () => {
    const governor = new UplinkGovernor();
    governor.observe('bandwidth', 0);
    governor.observe('bandwidth', 2000);
    expect(governor.observe('none', 4000)).toBe(false);
    governor.observe('none', 14_000);
    expect(governor.limitedBy).toBeNull();
    expect(governor.observe('none', 64_000)).toBe(true);
    expect(governor.current).toBe(0);
  });
});

describe('networkLimitation', () => {
  it('does not blame the network when the encoder only reached our own cap (recorded: a 60 kbit/s cap on a fast loopback)', () => {
    const [first, second] = loadFixture('chromium-limited').reports;
    const stats = linkStats(first, second);
    expect(stats.limitation).toBe('bandwidth');
    expect(networkLimitation(stats, 60_000)).toBe('none');
  });

  it('blames the network when the path carries less than our cap', () => {
    expect(networkLimitation({ limitation: 'bandwidth', availableOutgoingBitrate: 150_000 }, 1_500_000)).toBe('bandwidth');
    expect(networkLimitation({ limitation: 'cpu', availableOutgoingBitrate: 5_000_000 }, 1_500_000)).toBe('cpu');
    expect(networkLimitation({ limitation: 'bandwidth', availableOutgoingBitrate: null }, 1_500_000)).toBe('bandwidth');
  });

  it('takes the worst over the links', () => {
    expect(worstLimitation(['none', null, 'cpu'])).toBe('cpu');
    expect(worstLimitation([null])).toBeNull();
  });
});
