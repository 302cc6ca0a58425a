import type { SendLimits } from '../send-limits';
import type { LimitationReason } from './link-stats';

/** How far our own video is stepped down below the room's send limits: 0 (not at all) to MAX_STEP. */
export type UplinkStep = 0 | 1 | 2;
export const MAX_STEP: UplinkStep = 2;

/**
 * The send limits with our step-down applied. Each step sends fewer pixels
 * and frames for the bits there are, so the encoder keeps the picture moving
 * instead of stalling on frames it cannot get out: step 1 halves the pixels
 * (1.5x smaller each way) and caps 15 frames a second, step 2 quarters them
 * at 10 frames a second and halves the bitrate cap.
 */
export function steppedDown(limits: SendLimits, step: UplinkStep): SendLimits {
  if (step === 0) return limits;
  if (step === 1) {
    return { ...limits, scaleResolutionDownBy: limits.scaleResolutionDownBy * 1.5, maxFramerate: Math.min(limits.maxFramerate, 15) };
  }
  return {
    maxBitrate: Math.max(60_000, Math.floor(limits.maxBitrate / 2)),
    scaleResolutionDownBy: limits.scaleResolutionDownBy * 2,
    maxFramerate: Math.min(limits.maxFramerate, 10),
  };
}

export interface UplinkGovernorOptions {
  /** Rounds in a row our sender must be limited before we step down (one round is one getStats sweep, ~2 s). */
  limitedRounds?: number;
  /** How long it must stay unlimited before we step back up one (ms). */
  calmMs?: number;
}

/**
 * Decides the step from what the browser says limits our video
 * (outbound-rtp qualityLimitationReason): down one step when it is
 * `bandwidth` or `cpu` for a few rounds in a row, before the picture
 * freezes; back up one after a long calm stretch, so one bad minute does not
 * cost the rest of the call.
 */
export class UplinkGovernor {
  private step: UplinkStep = 0;
  private limitedInARow = 0;
  private calmSince: number | null = null;
  private reason: 'bandwidth' | 'cpu' | null = null;

  constructor(private readonly options: UplinkGovernorOptions = {}) {}

  get current(): UplinkStep {
    return this.step;
  }

  /** What limits us now (`bandwidth` or `cpu`), while it does; null once it is calm again. */
  get limitedBy(): 'bandwidth' | 'cpu' | null {
    return this.reason;
  }

  /** One round's worst limitation over our links; returns whether the step changed. */
  observe(limitation: LimitationReason | null, now: number): boolean {
    if (limitation === 'bandwidth' || limitation === 'cpu') {
      this.reason = limitation;
      this.calmSince = null;
      this.limitedInARow += 1;
      if (this.limitedInARow >= (this.options.limitedRounds ?? 2) && this.step < MAX_STEP) {
        this.step = (this.step + 1) as UplinkStep;
        this.limitedInARow = 0;
        return true;
      }
      return false;
    }
    this.limitedInARow = 0;
    this.calmSince ??= now;
    if (now - this.calmSince >= 10_000) this.reason = null;
    if (this.step > 0 && now - this.calmSince >= (this.options.calmMs ?? 60_000)) {
      this.step = (this.step - 1) as UplinkStep;
      this.calmSince = now;
      return true;
    }
    return false;
  }
}

/**
 * What limits our video on one link, not counting our own cap: Chromium says
 * `bandwidth` also when the encoder merely reaches the maxBitrate we set
 * (send-limits.ts). The network is the limit only when the browser's estimate
 * of what the path carries (availableOutgoingBitrate) is below that cap.
 */
export function networkLimitation(
  stats: { limitation: LimitationReason | null; availableOutgoingBitrate: number | null },
  capBps: number | undefined,
): LimitationReason | null {
  if (stats.limitation !== 'bandwidth' || capBps === undefined || stats.availableOutgoingBitrate === null) return stats.limitation;
  return stats.availableOutgoingBitrate < capBps * 0.9 ? 'bandwidth' : 'none';
}

/** The worst limitation over our links: cpu and bandwidth before other and none. */
export function worstLimitation(limitations: ReadonlyArray<LimitationReason | null>): LimitationReason | null {
  for (const reason of ['bandwidth', 'cpu', 'other', 'none'] as const) if (limitations.includes(reason)) return reason;
  return null;
}
