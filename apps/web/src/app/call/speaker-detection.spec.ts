import { SPEAKER_POLL_MS, SpeakerDetection } from './speaker-detection';

describe('SpeakerDetection', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function detection(sample: () => Promise<ReadonlyMap<string, number>>) {
    const speakers: Array<string | null> = [];
    const detector = new SpeakerDetection({ sample, onSpeaker: (peerId) => speakers.push(peerId), now: () => Date.now() });
    return { detector, speakers };
  }

  it('names the loudest peer every period', async () => {
    const { detector, speakers } = detection(async () => new Map([['a', 0.1], ['b', 0.4]]));
    detector.start();
    await jest.advanceTimersByTimeAsync(SPEAKER_POLL_MS * 2);
    expect(speakers).toEqual(['b', 'b']);
    detector.stop();
  });

  it('never asks twice at once while the browser is slow to answer', async () => {
    let answer: ((levels: ReadonlyMap<string, number>) => void) | undefined;
    const sample = jest.fn(() => new Promise<ReadonlyMap<string, number>>((resolve) => (answer = resolve)));
    const { detector, speakers } = detection(sample);
    detector.start();
    await jest.advanceTimersByTimeAsync(SPEAKER_POLL_MS * 3);
    expect(sample).toHaveBeenCalledTimes(1);
    answer?.(new Map([['a', 0.5]]));
    await jest.advanceTimersByTimeAsync(SPEAKER_POLL_MS);
    expect(speakers[0]).toBe('a');
    expect(sample).toHaveBeenCalledTimes(2);
    detector.stop();
  });

  it('goes on sampling after a round that failed', async () => {
    const sample = jest.fn().mockRejectedValueOnce(new Error('closing')).mockResolvedValue(new Map([['a', 0.5]]));
    const { detector, speakers } = detection(sample);
    detector.start();
    await jest.advanceTimersByTimeAsync(SPEAKER_POLL_MS * 2);
    expect(speakers).toEqual(['a']);
    detector.stop();
  });

  describe('listener cleanup', () => {
    it('stop leaves no interval, and an answer arriving after it is dropped', async () => {
      let answer: ((levels: ReadonlyMap<string, number>) => void) | undefined;
      const { detector, speakers } = detection(() => new Promise((resolve) => (answer = resolve)));
      detector.start();
      await jest.advanceTimersByTimeAsync(SPEAKER_POLL_MS);
      detector.stop();
      expect(jest.getTimerCount()).toBe(0);
      expect(detector.running).toBe(false);
      answer?.(new Map([['a', 0.5]]));
      await jest.advanceTimersByTimeAsync(SPEAKER_POLL_MS);
      expect(speakers).toEqual([]);
    });

    it('starting again replaces the interval instead of adding one', () => {
      const { detector } = detection(async () => new Map());
      detector.start();
      detector.start();
      expect(jest.getTimerCount()).toBe(1);
      detector.stop();
    });
  });
});
