import { TestBed } from '@angular/core/testing';
import { AUDIO_CONTEXT_FACTORY } from '../core/browser.tokens';
import { Chime } from './chime';

/** Just what the chime uses of an AudioContext, recording the tones it starts. */
function fakeContext(state: AudioContextState = 'running') {
  const tones: number[] = [];
  const param = () => ({ value: 0, setValueAtTime: jest.fn(), exponentialRampToValueAtTime: jest.fn() });
  const context = {
    state,
    currentTime: 0,
    destination: {},
    resume: jest.fn(async () => undefined),
    close: jest.fn(async () => undefined),
    createGain: () => {
      const gain = { gain: param(), connect: (next: unknown) => next };
      return gain;
    },
    createOscillator: () => {
      const oscillator = {
        type: '',
        frequency: param(),
        connect: (next: unknown) => next,
        start: () => tones.push(oscillator.frequency.value),
        stop: jest.fn(),
      };
      return oscillator;
    },
  };
  return { context, tones };
}

function chimeWith(factory: () => AudioContext | undefined): Chime {
  TestBed.configureTestingModule({ providers: [{ provide: AUDIO_CONTEXT_FACTORY, useValue: factory }] });
  return TestBed.inject(Chime);
}

describe('Chime', () => {
  it('plays two short tones, and no second chime within 3 s (several requests at once make one)', () => {
    const { context, tones } = fakeContext();
    const create = jest.fn(() => context as unknown as AudioContext);
    const chime = chimeWith(create);
    expect(chime.play(10_000)).toBe(true);
    expect(tones).toEqual([660, 990]);
    expect(chime.play(11_000)).toBe(false);
    expect(tones).toHaveLength(2);
    expect(chime.play(13_001)).toBe(true);
    expect(tones).toHaveLength(4);
    // One context for the page.
    expect(create).toHaveBeenCalledTimes(1);
    chime.close();
    expect(context.close).toHaveBeenCalled();
  });

  it('asks a suspended context to resume', () => {
    const { context } = fakeContext('suspended');
    const chime = chimeWith(() => context as unknown as AudioContext);
    chime.play(0);
    expect(context.resume).toHaveBeenCalled();
  });

  it('stays silent, without an error, where the browser has no Web Audio or refuses a context', () => {
    expect(chimeWith(() => undefined).play(0)).toBe(false);
    TestBed.resetTestingModule();
    const refusing = chimeWith(() => {
      throw new DOMException('not allowed', 'NotAllowedError');
    });
    expect(refusing.play(0)).toBe(false);
  });
});
