import { z } from 'zod';
import { LIMITS } from './limits';
import { peerIdSchema } from './schemas';

/*
 * Call quality, as each browser measures it on its links (getStats), sent to
 * the server in `quality` and read back by the host in the meeting report.
 * One sample describes one link (this browser's peer connection to one other
 * person) over one window of time, at most one every 10 s. What a browser
 * does not report is null. Never addresses, ports or SDP: only the kinds of
 * candidates and numbers.
 */

/** ICE candidate types of the selected pair (RTCIceCandidateType). */
export const candidateTypeSchema = z.enum(['host', 'srflx', 'prflx', 'relay']);

/** How our side reaches the TURN server when the selected local candidate is `relay` (RTCIceCandidate relayProtocol). */
export const relayProtocolSchema = z.enum(['udp', 'tcp', 'tls']);

/** What limits the video we send (outbound-rtp qualityLimitationReason). */
export const qualityLimitationReasonSchema = z.enum(['none', 'bandwidth', 'cpu', 'other']);

/** A non-negative number up to `max`, or null when the browser does not report it. */
const measure = (max: number) => z.number().min(0).max(max).nullable();
/** A whole number from 0 to `max`, or null. */
const count = (max: number) => z.number().int().min(0).max(max).nullable();

/**
 * The measurements of one link over one window, without saying which link:
 * the fields a stored sample keeps. `…In` is media this browser received from
 * the other person, `…Out` is media it sent to them. Rates and losses are
 * over the window; freezes and ICE restarts are counted within it (deltas of
 * the getStats counters since the previous sample of this link), not since
 * the call began.
 */
export const qualityMeasuresSchema = z.strictObject({
  /** Seconds this sample covers (since the previous sample of this link, or since it connected). */
  windowSec: z.number().gt(0).max(LIMITS.qualityWindowMaxSec),
  /** Round-trip time of the selected candidate pair (ms). */
  rttMs: measure(60_000),
  /** Fraction (0–1, not percent) of packets lost on the way in / on the way out (remote-inbound-rtp). */
  lossIn: measure(1),
  lossOut: measure(1),
  /** Jitter of the media received (ms). */
  jitterMs: measure(60_000),
  /** Bits per second received / sent on this link, audio and video together. */
  bitrateIn: count(LIMITS.qualityBitrateMax),
  bitrateOut: count(LIMITS.qualityBitrateMax),
  /** Frames per second and frame height (pixels) of the video received; null without video. */
  fpsIn: measure(1000),
  frameHeightIn: count(10_000),
  /** Freezes of the received video that began within the window, and their total length (s). */
  freezeCount: count(10_000),
  totalFreezesDuration: measure(LIMITS.qualityWindowMaxSec),
  /** Candidate types of the selected pair: ours and theirs. */
  localCandidateType: candidateTypeSchema.nullable(),
  remoteCandidateType: candidateTypeSchema.nullable(),
  /** How we reach TURN when `localCandidateType` is `relay`; otherwise null. */
  relayProtocol: relayProtocolSchema.nullable(),
  /** What limited the video we sent on this link at the end of the window. */
  qualityLimitationReason: qualityLimitationReasonSchema.nullable(),
  /** ICE restarts and reconnections of this link within the window. */
  iceRestarts: count(100),
});

/** One link's sample as a browser sends it: `peerId` is the other end of the link. */
export const qualitySampleSchema = qualityMeasuresSchema.extend({ peerId: peerIdSchema });

/**
 * `quality`: the samples of several links at once (one per link, at most one
 * per other person in the room), so a browser sends one message per window.
 */
export const qualityRequestSchema = z.strictObject({
  samples: z
    .array(qualitySampleSchema)
    .min(1)
    .max(LIMITS.qualitySamplesPerMessage)
    .refine((samples) => new Set(samples.map((sample) => sample.peerId)).size === samples.length, {
      message: 'one sample per peer',
    }),
});

export type CandidateType = z.infer<typeof candidateTypeSchema>;
export type RelayProtocol = z.infer<typeof relayProtocolSchema>;
export type QualityLimitationReason = z.infer<typeof qualityLimitationReasonSchema>;
export type QualityMeasures = z.infer<typeof qualityMeasuresSchema>;
export type QualitySample = z.infer<typeof qualitySampleSchema>;
export type QualityRequest = z.infer<typeof qualityRequestSchema>;
