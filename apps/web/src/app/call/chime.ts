import { Injectable, inject } from '@angular/core';
import { AUDIO_CONTEXT_FACTORY } from '../core/browser.tokens';

/** Two short soft tones, a fifth apart: heard, not startling. */
const TONES_HZ = [660, 990];
const TONE_SECONDS = 0.12;
const PEAK_GAIN = 0.08;
/** Several requests at once (a class arriving) make one chime, not a burst. */
const QUIET_AFTER_MS = 3000;

/**
 * The sound that tells the host someone is asking to join: made with Web
 * Audio (no file to fetch), quiet, and at most one every few seconds. One
 * context for the page, created at the first chime; where the browser has no
 * Web Audio or keeps it suspended (no gesture yet), the visual cue is enough.
 */
@Injectable({ providedIn: 'root' })
export class Chime {
  private readonly createContext = inject(AUDIO_CONTEXT_FACTORY);
  private context: AudioContext | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;

  /** Plays the chime unless one played moments ago; true when it played. */
  play(now = Date.now()): boolean {
    if (now - this.lastAt < QUIET_AFTER_MS) return false;
    try {
      this.context ??= this.createContext();
    } catch {
      return false;
    }
    const context = this.context;
    if (!context) return false;
    this.lastAt = now;
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const start = context.currentTime;
    TONES_HZ.forEach((frequency, index) => {
      const at = start + index * TONE_SECONDS;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A quick rise and an exponential fall: no click at either end.
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + TONE_SECONDS);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + TONE_SECONDS);
    });
    return true;
  }

  /** Lets the context go when the call ends. */
  close(): void {
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }
}
