/** What one outgoing video stream may use, applied with RTCRtpSender.setParameters. */
export interface SendLimits {
  /** bits per second */
  maxBitrate: number;
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

/** Default upstream budget: what a phone on 4G keeps up reliably. */
export const DEFAULT_UPSTREAM_BUDGET_BPS = 2_500_000;
const AUDIO_BPS = 40_000;
const MIN_VIDEO_BPS = 120_000;
const MAX_VIDEO_BPS = 1_500_000;

/**
 * In a mesh every sender uploads one copy per remote peer, so the budget is
 * split between them: with five others each copy gets a fifth. Resolution and
 * frame rate step down as the room grows, so the encoder spends those bits on
 * fewer pixels instead of smearing 720p into mush.
 */
export function sendLimitsFor(remotePeers: number, budgetBps = DEFAULT_UPSTREAM_BUDGET_BPS): SendLimits {
  const copies = Math.max(1, remotePeers);
  const perCopy = Math.floor(budgetBps / copies) - AUDIO_BPS;
  const maxBitrate = Math.max(MIN_VIDEO_BPS, Math.min(MAX_VIDEO_BPS, perCopy));
  if (copies <= 1) return { maxBitrate, scaleResolutionDownBy: 1, maxFramerate: 30 };
  if (copies === 2) return { maxBitrate, scaleResolutionDownBy: 1.5, maxFramerate: 30 };
  if (copies === 3) return { maxBitrate, scaleResolutionDownBy: 2, maxFramerate: 24 };
  return { maxBitrate, scaleResolutionDownBy: 3, maxFramerate: 15 };
}
