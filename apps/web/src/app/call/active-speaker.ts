/** Audio level (0..1) above which a remote peer counts as speaking. */
export const SPEAKING_LEVEL = 0.03;
/** How long the highlight stays on someone after they were last heard: pauses between words do not flicker. */
export const SPEAKER_HOLD_MS = 1000;

/**
 * Picks the active speaker from samples of each peer's audio level: the
 * loudest above SPEAKING_LEVEL, else whoever was last heard less than
 * SPEAKER_HOLD_MS ago, else nobody.
 */
export class ActiveSpeaker {
  private current: string | null = null;
  private lastHeardAt = 0;

  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    let loudest: string | null = null;
    let loudestLevel = SPEAKING_LEVEL;
    for (const [peerId, level] of levels) {
      if (level > loudestLevel) {
        loudest = peerId;
        loudestLevel = level;
      }
    }
    if (loudest !== null) {
      this.current = loudest;
      this.lastHeardAt = now;
    } else if (this.current !== null && (!levels.has(this.current) || now - this.lastHeardAt >= SPEAKER_HOLD_MS)) {
      this.current = null;
    }
    return this.current;
  }
}

/** What the browser sums for a received audio stream (inbound-rtp stats). */
export interface AudioEnergy {
  totalAudioEnergy: number;
  totalSamplesDuration: number;
}

/**
 * The RMS audio level (0..1) between two readings: the browser adds
 * level² × duration for every sample it plays, so the difference covers
 * everything heard in between, short sounds included, however the readings
 * fall. Cheaper on the page than asking for the level many times a second
 * (getSynchronizationSources blocks on the browser's WebRTC thread).
 */
export function levelBetween(before: AudioEnergy | undefined, after: AudioEnergy): number {
  if (!before) return 0;
  const seconds = after.totalSamplesDuration - before.totalSamplesDuration;
  if (seconds <= 0) return 0;
  return Math.sqrt(Math.max(0, after.totalAudioEnergy - before.totalAudioEnergy) / seconds);
}
