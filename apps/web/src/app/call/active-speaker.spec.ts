import { ActiveSpeaker, SPEAKER_HOLD_MS, levelBetween } from './active-speaker';

const levels = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('ActiveSpeaker', () => {
  it('names nobody while everyone is quiet', () => {
    expect(new ActiveSpeaker().update(levels({ a: 0.01, b: 0 }), 0)).toBeNull();
  });

  it('names the loudest peer above the speaking level', () => {
    expect(new ActiveSpeaker().update(levels({ a: 0.2, b: 0.5, c: 0.01 }), 0)).toBe('b');
  });

  it('keeps the speaker through a short pause and lets go after the hold time', () => {
    const speaker = new ActiveSpeaker();
    speaker.update(levels({ a: 0.4 }), 1000);
    expect(speaker.update(levels({ a: 0 }), 1000 + SPEAKER_HOLD_MS - 1)).toBe('a');
    expect(speaker.update(levels({ a: 0 }), 1000 + SPEAKER_HOLD_MS)).toBeNull();
  });

  it('moves to someone else as soon as they are heard', () => {
    const speaker = new ActiveSpeaker();
    speaker.update(levels({ a: 0.4, b: 0 }), 0);
    expect(speaker.update(levels({ a: 0, b: 0.1 }), 100)).toBe('b');
  });

  it('drops a speaker who left the call at once', () => {
    const speaker = new ActiveSpeaker();
    speaker.update(levels({ a: 0.4, b: 0 }), 0);
    expect(speaker.update(levels({ b: 0 }), 100)).toBeNull();
  });
});

describe('levelBetween', () => {
  it('is the RMS level of what was heard between two readings', () => {
    // 0.5 s at level 0.4 (energy 0.4² × 0.5) within 2 s: RMS 0.2.
    expect(levelBetween({ totalAudioEnergy: 1, totalSamplesDuration: 10 }, { totalAudioEnergy: 1.08, totalSamplesDuration: 12 })).toBeCloseTo(0.2);
  });

  it('is 0 without an earlier reading or without time in between', () => {
    expect(levelBetween(undefined, { totalAudioEnergy: 5, totalSamplesDuration: 10 })).toBe(0);
    expect(levelBetween({ totalAudioEnergy: 1, totalSamplesDuration: 10 }, { totalAudioEnergy: 2, totalSamplesDuration: 10 })).toBe(0);
  });

  it('is 0, not NaN, when the counters went back (a new receiver)', () => {
    expect(levelBetween({ totalAudioEnergy: 5, totalSamplesDuration: 10 }, { totalAudioEnergy: 1, totalSamplesDuration: 11 })).toBe(0);
  });
});
