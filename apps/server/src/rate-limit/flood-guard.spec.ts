import { FloodGuard } from './flood-guard';

describe('FloodGuard', () => {
  it('trips at the limit-th refusal inside one window', () => {
    let now = 0;
    const guard = new FloodGuard(3, 1000, () => now);
    expect(guard.refused()).toBe(false);
    now = 500;
    expect(guard.refused()).toBe(false);
    now = 999;
    expect(guard.refused()).toBe(true);
  });

  it('forgets refusals of an earlier window, so a client that backs off is never closed', () => {
    let now = 0;
    const guard = new FloodGuard(3, 1000, () => now);
    for (let window = 0; window < 10; window += 1) {
      now = window * 1000;
      expect(guard.refused()).toBe(false);
      expect(guard.refused()).toBe(false);
    }
  });
});
