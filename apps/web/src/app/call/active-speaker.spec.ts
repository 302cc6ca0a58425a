import { ActiveSpeaker, SPEAKER_HOLD_MS, receiverAudioLevel } from './active-speaker';

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

describe('receiverAudioLevel', () => {
  const receiver = (sources: Array<{ audioLevel?: number; timestamp: number }>) => ({
    getSynchronizationSources: () => sources.map((source) => ({ source: 1, rtpTimestamp: 0, ...source })),
  });

  it('is the loudest fresh source', () => {
    expect(receiverAudioLevel(receiver([{ audioLevel: 0.2, timestamp: 9_900 }, { audioLevel: 0.4, timestamp: 9_500 }]), 10_000)).toBe(0.4);
  });

  it('ignores sources not heard for a second (the browser keeps them ten)', () => {
    expect(receiverAudioLevel(receiver([{ audioLevel: 0.9, timestamp: 8_000 }]), 10_000)).toBe(0);
  });

  it('is 0 without sources or without a level', () => {
    expect(receiverAudioLevel(receiver([]), 10_000)).toBe(0);
    expect(receiverAudioLevel(receiver([{ timestamp: 10_000 }]), 10_000)).toBe(0);
  });
});
