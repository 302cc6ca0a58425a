import { LIMITS, type QualitySample } from '@mesh-meet/protocol';
import type { LinkStats } from './link-stats';
import { networkLimitation } from './uplink-step';

/**
 * The compact sample `quality` carries (libs/protocol quality.ts), from the
 * link stats of one window: the report at the link's previous sample against
 * the current one, so rates, losses and freezes cover the whole window.
 * Values are clamped to what the schema accepts (a browser's odd number must
 * not cost the whole message); whole numbers where the schema wants them.
 * Null when the window is empty (nothing to say yet). `bandwidth` is sent
 * only when the path's estimate is under `capBps`, our own cap on the link's
 * video: Chromium says `bandwidth` also when the encoder merely reaches that
 * cap, and the report would blame the sender's network for it.
 */
export function qualitySample(peerId: string, stats: LinkStats, iceRestarts: number, capBps?: number): QualitySample | null {
  if (stats.intervalMs <= 0) return null;
  return {
    peerId,
    windowSec: clamp(round(stats.intervalMs / 1000, 3), 0.001, LIMITS.qualityWindowMaxSec),
    rttMs: measure(stats.rttMs, 60_000, 1),
    lossIn: measure(stats.lossIn, 1, 4),
    lossOut: measure(stats.lossOut, 1, 4),
    jitterMs: measure(stats.jitterMs, 60_000, 1),
    bitrateIn: whole(stats.bitrateIn, LIMITS.qualityBitrateMax),
    bitrateOut: whole(stats.bitrateOut, LIMITS.qualityBitrateMax),
    fpsIn: measure(stats.fps, 1000, 1),
    frameHeightIn: whole(stats.frameHeight, 10_000),
    freezeCount: stats.freezeCount === null ? null : whole(stats.freezesInInterval, 10_000),
    totalFreezesDuration: stats.totalFreezesDuration === null ? null : measure(stats.frozenSecondsInInterval, LIMITS.qualityWindowMaxSec, 3),
    localCandidateType: stats.localCandidateType,
    remoteCandidateType: stats.remoteCandidateType,
    relayProtocol: stats.localCandidateType === 'relay' ? stats.relayProtocol : null,
    qualityLimitationReason: networkLimitation(stats, capBps),
    iceRestarts: whole(iceRestarts, 100),
  };
}

function measure(value: number | null, max: number, digits: number): number | null {
  return value === null ? null : clamp(round(value, digits), 0, max);
}

function whole(value: number | null, max: number): number | null {
  return value === null ? null : clamp(Math.round(value), 0, max);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
