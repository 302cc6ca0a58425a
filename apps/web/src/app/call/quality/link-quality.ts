import type { LinkStats } from './link-stats';

export type QualityLevel = 'good' | 'fair' | 'poor';

/** Why a link is not good, in the order a person would care. */
export type QualityReason = 'no-media' | 'loss-in' | 'loss-out' | 'freezes' | 'rtt' | 'jitter' | 'low-fps';

export interface LinkQuality {
  level: QualityLevel;
  reasons: QualityReason[];
}

/**
 * Where calls start to hurt. Voice stays comfortable below about 300 ms of
 * round trip (ITU-T G.114 puts the limit of one-way delay at 150 ms) and
 * suffers past 500; video codecs conceal a percent or two of loss, show it
 * past five and break up past ten; jitter beyond the jitter buffer's usual
 * 30-60 ms means late audio is dropped.
 */
export const THRESHOLDS = {
  rttMs: { fair: 300, poor: 600 },
  loss: { fair: 0.03, poor: 0.1 },
  jitterMs: { fair: 40, poor: 100 },
  /** Received video below this rate looks jerky; only counted when video is expected. */
  fps: { fair: 12, poor: 5 },
  /** Seconds frozen within one interval. */
  frozenSeconds: { fair: 0, poor: 1 },
} as const;

export interface AssessOptions {
  /** The other side says its camera (or screen) is on: missing frames then mean trouble. */
  videoExpected: boolean;
  /**
   * Media has arrived on this link at some point. Until then silence is the
   * call starting, not a broken link: no `no-media` or `low-fps` (default true).
   */
  mediaStarted?: boolean;
}

/** good / fair / poor with its reasons, from one interval's link stats. A first report (no interval) is good unless its round trip says otherwise. */
export function assessLink(stats: LinkStats, options: AssessOptions): LinkQuality {
  const found: Array<[QualityReason, QualityLevel]> = [];
  const grade = (reason: QualityReason, value: number | null, limits: { fair: number; poor: number }) => {
    if (value === null) return;
    if (value > limits.poor) found.push([reason, 'poor']);
    else if (value > limits.fair) found.push([reason, 'fair']);
  };
  const started = options.mediaStarted ?? true;
  if (stats.receiving === false && started) found.push(['no-media', 'poor']);
  grade('loss-in', stats.lossIn, THRESHOLDS.loss);
  grade('loss-out', stats.lossOut, THRESHOLDS.loss);
  if (stats.freezesInInterval > 0 || stats.frozenSecondsInInterval > 0) {
    found.push(['freezes', stats.frozenSecondsInInterval > THRESHOLDS.frozenSeconds.poor ? 'poor' : 'fair']);
  }
  grade('rtt', stats.rttMs, THRESHOLDS.rttMs);
  grade('jitter', stats.jitterMs, THRESHOLDS.jitterMs);
  if (options.videoExpected && started && stats.intervalMs > 0 && stats.fps !== null) {
    if (stats.fps < THRESHOLDS.fps.poor) found.push(['low-fps', 'poor']);
    else if (stats.fps < THRESHOLDS.fps.fair) found.push(['low-fps', 'fair']);
  }
  const level: QualityLevel = found.some(([, level]) => level === 'poor') ? 'poor' : found.length ? 'fair' : 'good';
  return { level, reasons: found.map(([reason]) => reason) };
}

/** The worse of two levels. */
export function worse(a: QualityLevel, b: QualityLevel): QualityLevel {
  const order: QualityLevel[] = ['good', 'fair', 'poor'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))];
}
