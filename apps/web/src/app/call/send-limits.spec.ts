import { DEFAULT_UPSTREAM_BUDGET_BPS, sendLimitsFor } from './send-limits';

describe('sendLimitsFor', () => {
  it('keeps the total upstream of a six-person call within the budget', () => {
    const limits = sendLimitsFor(5);
    expect(limits.maxBitrate * 5 + 40_000 * 5).toBeLessThanOrEqual(DEFAULT_UPSTREAM_BUDGET_BPS);
    expect(limits).toMatchObject({ scaleResolutionDownBy: 3, maxFramerate: 15 });
  });

  it('gives a two-person call full resolution and a capped bitrate', () => {
    expect(sendLimitsFor(1)).toEqual({ maxBitrate: 1_500_000, scaleResolutionDownBy: 1, maxFramerate: 30 });
  });

  it('steps resolution down as the room grows and never below a usable bitrate', () => {
    const steps = [1, 2, 3, 4, 5, 11].map((peers) => sendLimitsFor(peers));
    const scales = steps.map((step) => step.scaleResolutionDownBy);
    expect(scales).toEqual([...scales].sort((a, b) => a - b));
    for (const step of steps) expect(step.maxBitrate).toBeGreaterThanOrEqual(120_000);
  });

  it('follows a configured budget', () => {
    expect(sendLimitsFor(2, 1_000_000).maxBitrate).toBe(460_000);
  });
});
