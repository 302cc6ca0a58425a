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

/** Entries of getSynchronizationSources older than this are not "now" (the browser keeps them 10 s). */
const FRESH_SOURCE_MS = 1000;

/**
 * The current audio level of what a receiver plays, from
 * getSynchronizationSources(): synchronous and cheap, unlike getStats(),
 * which builds every report of the connection (measured as the heaviest
 * script of a page in a four-person call).
 */
export function receiverAudioLevel(receiver: Pick<RTCRtpReceiver, 'getSynchronizationSources'>, now: number): number {
  let level = 0;
  for (const source of receiver.getSynchronizationSources()) {
    if (now - source.timestamp < FRESH_SOURCE_MS) level = Math.max(level, source.audioLevel ?? 0);
  }
  return level;
}
