import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value, checking again until then', async () => {
    let checks = 0;
    const value = await waitFor(() => (++checks === 3 ? 'ready' : ''), { what: 'the third check', intervalMs: 1 });
    expect({ value, checks }).toEqual({ value: 'ready', checks: 3 });
  });

  it('waits for an async condition', async () => {
    let calls = 0;
    await expect(waitFor(async () => ++calls >= 2, { what: 'two calls', intervalMs: 1 })).resolves.toBe(true);
  });

  it('fails after the timeout, naming what it waited for', async () => {
    const started = Date.now();
    await expect(waitFor(() => false, { what: 'a condition that never holds', timeoutMs: 50, intervalMs: 10 })).rejects.toThrow(
      'no a condition that never holds within 50 ms',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('stops at once when the condition throws', async () => {
    let checks = 0;
    const failing = () => {
      checks += 1;
      throw new Error('the process exited');
    };
    await expect(waitFor(failing, { what: 'a dead process', timeoutMs: 5000 })).rejects.toThrow('the process exited');
    expect(checks).toBe(1);
  });
});
