import { ConnectionRampUp } from './ramp-up';

const health = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('ConnectionRampUp', () => {
  it('counts a link as settled only once it has been connected for the ramp-up', () => {
    const rampUp = new ConnectionRampUp(10_000);
    expect(rampUp.settled(health({ ken: 'connected' }), 0)).toEqual(new Set());
    expect(rampUp.settled(health({ ken: 'connected' }), 9_999)).toEqual(new Set());
    expect(rampUp.settled(health({ ken: 'connected' }), 10_000)).toEqual(new Set(['ken']));
  });

  it('starts the ramp again after a reconnection (the path may be a new one)', () => {
    const rampUp = new ConnectionRampUp(10_000);
    rampUp.settled(health({ ken: 'connected' }), 0);
    expect(rampUp.settled(health({ ken: 'connected' }), 12_000)).toEqual(new Set(['ken']));
    expect(rampUp.settled(health({ ken: 'reconnecting' }), 14_000)).toEqual(new Set());
    expect(rampUp.settled(health({ ken: 'connected' }), 16_000)).toEqual(new Set());
    expect(rampUp.settled(health({ ken: 'connected' }), 26_000)).toEqual(new Set(['ken']));
  });

  it('keeps each link apart, and forgets links that are gone', () => {
    const rampUp = new ConnectionRampUp(10_000);
    rampUp.settled(health({ ken: 'connected', kumi: 'connecting' }), 0);
    expect(rampUp.settled(health({ ken: 'connected', kumi: 'connected' }), 10_000)).toEqual(new Set(['ken']));
    // Kumi left and came back with the same id: the ramp starts over.
    rampUp.settled(health({ ken: 'connected' }), 12_000);
    expect(rampUp.settled(health({ ken: 'connected', kumi: 'connected' }), 20_000)).toEqual(new Set(['ken']));
    expect(rampUp.settled(health({ ken: 'connected', kumi: 'connected' }), 30_000)).toEqual(new Set(['ken', 'kumi']));
  });
});
