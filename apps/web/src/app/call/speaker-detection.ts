import { ActiveSpeaker } from './active-speaker';

/** How often the active speaker is decided, from the audio heard since the last time. */
export const SPEAKER_POLL_MS = 400;

export interface SpeakerDetectionOptions {
  /** Each remote peer's audio level (0..1) since the previous sample. */
  sample: () => Promise<ReadonlyMap<string, number>>;
  onSpeaker: (peerId: string | null) => void;
  periodMs?: number;
  now?: () => number;
}

/** Samples the remote audio levels every SPEAKER_POLL_MS and names the active speaker (see ActiveSpeaker). */
export class SpeakerDetection {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: SpeakerDetectionOptions) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts over (a fresh ActiveSpeaker); a running detection is stopped first. */
  start(): void {
    this.stop();
    const speaker = new ActiveSpeaker();
    const now = this.options.now ?? Date.now;
    let sampling = false;
    const timer = setInterval(async () => {
      // A busy browser may take longer than a period to answer; never ask twice at once.
      if (sampling) return;
      sampling = true;
      try {
        const levels = await this.options.sample();
        // Stopped (or restarted) while the browser answered: this round's answer is stale.
        if (this.timer === timer) this.options.onSpeaker(speaker.update(levels, now()));
      } catch {
        // A failed round is skipped; the next one asks again.
      } finally {
        sampling = false;
      }
    }, this.options.periodMs ?? SPEAKER_POLL_MS);
    this.timer = timer;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
