/*
 * When each remote tile's video showed a frame, recorded inside the page for
 * the whole test, so a test can tell afterwards when the picture stopped and
 * when it came back (rather than sampling windows and missing the moment).
 */

export interface FrameLog {
  /** Date.now() of each frame shown, per remote tile (by display name); the last few thousand. */
  frames: Record<string, number[]>;
  /** The fewest remote tiles the page showed since recording started: a tile that went and came back shows here. */
  fewestTiles: number;
  /**
   * Beside each time in `frames`, the video's count of frames presented so far
   * (requestVideoFrameCallback's presentedFrames): a callback that comes late,
   * because the page's main thread was busy, reports every frame the
   * compositor showed meanwhile. For diagnostics (how many were shown in a pause).
   */
  presented: Record<string, number[]>;
}

/**
 * Starts recording on the page (once; a second call does nothing). Runs in
 * the page, so it uses nothing from outside its own body. A tile's <video>
 * that is replaced is picked up again within 200 ms.
 */
export function recordFrames(): void {
  const page = window as unknown as { __frameLog?: FrameLog };
  if (page.__frameLog) return;
  const log: FrameLog = { frames: {}, fewestTiles: Number.POSITIVE_INFINITY, presented: {} };
  page.__frameLog = log;
  const watched = new WeakSet<HTMLVideoElement>();
  setInterval(() => {
    const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="participant-tile"]')];
    log.fewestTiles = Math.min(log.fewestTiles, tiles.length);
    for (const tile of tiles) {
      const name = tile.dataset['peerName'] ?? '';
      const video = tile.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
      if (!video || watched.has(video)) continue;
      watched.add(video);
      const times = (log.frames[name] ??= []);
      const presented = (log.presented[name] ??= []);
      const onFrame = (_now: number, metadata: { presentedFrames: number }) => {
        times.push(Date.now());
        presented.push(metadata.presentedFrames);
        if (times.length > 6000) {
          times.splice(0, 3000);
          presented.splice(0, 3000);
        }
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }
  }, 200);
}

/** The page's log (recordFrames must have run), the frames from `since` on only (all without it). */
export function frameLog(since?: number): FrameLog {
  const log = (window as unknown as { __frameLog?: FrameLog }).__frameLog;
  if (!log) throw new Error('recordFrames() has not run on this page');
  const from = since ?? Number.NEGATIVE_INFINITY;
  const frames = Object.fromEntries(Object.entries(log.frames).map(([name, times]) => [name, times.filter((time) => time >= from)]));
  const presented = Object.fromEntries(
    Object.entries(log.presented).map(([name, counts]) => [name, counts.filter((_, i) => log.frames[name][i] >= from)]),
  );
  return { frames, fewestTiles: log.fewestTiles, presented };
}

/** A pause longer than this between two frames counts as the picture having stopped. */
export const STALL_MS = 400;

/**
 * Whether a tile's frames advance steadily now: at least `frames` frames in
 * the last `windowMs` before `now`, all of them after `since`.
 */
export function advancing(times: readonly number[], since: number, now: number, frames = 5, windowMs = 1500): boolean {
  const from = Math.max(since, now - windowMs);
  return times.filter((time) => time > from && time <= now).length >= frames;
}

/**
 * How long after `since` the tile's frames came back: the first frame after
 * the last stall (a pause over STALL_MS) that ended after `since`, minus
 * `since`; 0 when the picture never stalled.
 */
export function recoveredAfter(times: readonly number[], since: number): number {
  let recovered = 0;
  for (let i = 1; i < times.length; i += 1) {
    if (times[i] > since && times[i] - times[i - 1] > STALL_MS) recovered = times[i] - since;
  }
  return recovered;
}

/**
 * The longest pause between frames (or before the first, or since the last)
 * within [from, to]: the picture's worst freeze in that span.
 */
export function longestPause(times: readonly number[], from: number, to: number): number {
  const inside = times.filter((time) => time >= from && time <= to);
  const points = [from, ...inside, to];
  let longest = 0;
  for (let i = 1; i < points.length; i += 1) longest = Math.max(longest, points[i] - points[i - 1]);
  return longest;
}

/**
 * The pauses longer than `overMs` in a log's times for one tile, each with
 * how many frames the compositor presented across it (1: the picture really
 * stood still; many: the page's callbacks were late, not the video).
 */
export function pausesWithPresented(times: readonly number[], presented: readonly number[], overMs: number): Array<{ at: number; ms: number; presented: number }> {
  const pauses: Array<{ at: number; ms: number; presented: number }> = [];
  for (let i = 1; i < times.length; i += 1) {
    if (times[i] - times[i - 1] > overMs) pauses.push({ at: times[i - 1], ms: times[i] - times[i - 1], presented: presented[i] - presented[i - 1] });
  }
  return pauses;
}
