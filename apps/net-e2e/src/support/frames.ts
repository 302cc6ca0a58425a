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
}

/**
 * Starts recording on the page (once; a second call does nothing). Runs in
 * the page, so it uses nothing from outside its own body. A tile's <video>
 * that is replaced is picked up again within 200 ms.
 */
export function recordFrames(): void {
  const page = window as unknown as { __frameLog?: FrameLog };
  if (page.__frameLog) return;
  const log: FrameLog = { frames: {}, fewestTiles: Number.POSITIVE_INFINITY };
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
      const onFrame = () => {
        times.push(Date.now());
        if (times.length > 6000) times.splice(0, 3000);
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
  return { frames, fewestTiles: log.fewestTiles };
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
