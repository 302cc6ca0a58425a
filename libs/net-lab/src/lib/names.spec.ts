import { isStale, labName, labOwner } from './names';

describe('lab names', () => {
  it('carry the pid of the run that made them', () => {
    expect(labName(4242, 'r1')).toBe('mmlab-4242-r1');
    expect(labOwner('mmlab-4242-r1')).toBe(4242);
  });

  it('leave names the lab did not make alone', () => {
    expect(labOwner('docker0')).toBeUndefined();
    expect(labOwner('mmlab-x-r1')).toBeUndefined();
    expect(isStale('mmlabfoo', 1, () => false)).toBe(false);
  });

  it("count a dead run's names as stale and a live one's as its own", () => {
    const alive = (pid: number) => pid === 200;
    expect(isStale('mmlab-100-inet', 300, alive)).toBe(true);
    expect(isStale('mmlab-200-inet', 300, alive)).toBe(false);
    // Its own pid before it built anything: a reused pid of a killed run.
    expect(isStale('mmlab-300-inet', 300, alive)).toBe(true);
  });
});
