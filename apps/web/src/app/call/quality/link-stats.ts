/**
 * One getStats() report reduced to what a person (and the host's report) needs
 * about one link: how long a round trip takes, what is lost each way, what
 * arrives, which path it takes, and what holds our own video back.
 *
 * Rates and losses come from two consecutive reports (the difference of the
 * cumulative counters over the time between them); the first report of a
 * connection has no rates yet. Works on the plain entries of
 * `RTCStatsReport.values()`, so the specs run on reports recorded from real
 * browsers (./fixtures). Chromium and Firefox differ: Firefox has no
 * `qualityLimitationReason`, and older Firefox marks the selected pair with
 * `candidate-pair.selected` instead of `transport.selectedCandidatePairId`.
 */

/** One entry of a getStats() report, as the browser gives it. */
export interface StatsEntry {
  id: string;
  type: string;
  timestamp: number;
  [field: string]: unknown;
}

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type RelayProtocol = 'udp' | 'tcp' | 'tls';
export type LimitationReason = 'none' | 'bandwidth' | 'cpu' | 'other';

export interface LinkStats {
  /** When the later report was taken (ms since the epoch, the browser's clock). */
  at: number;
  /** Milliseconds the interval covers; 0 for a first report (no rates then). */
  intervalMs: number;
  /** Round-trip time in ms, of the selected candidate pair (or RTCP where the pair has none). */
  rttMs: number | null;
  /** Fraction (0..1) of the packets sent to us that were lost in the interval. */
  lossIn: number | null;
  /** Fraction (0..1) of our packets the other side reported lost in the interval. */
  lossOut: number | null;
  /** Jitter of what we receive, ms (the worse of audio and video). */
  jitterMs: number | null;
  /** Media bits per second received and sent over the interval. */
  bitrateIn: number | null;
  bitrateOut: number | null;
  /** Received video: frames per second and frame height; null while no video arrives. */
  fps: number | null;
  frameHeight: number | null;
  /** Received video's freezes since the connection started (cumulative, as inbound-rtp counts them). */
  freezeCount: number | null;
  /** Seconds, cumulative. */
  totalFreezesDuration: number | null;
  /** Freezes that began within this interval, and the seconds frozen within it. */
  freezesInInterval: number;
  frozenSecondsInInterval: number;
  /** Candidate types of the selected pair (never addresses). */
  localCandidateType: CandidateType | null;
  remoteCandidateType: CandidateType | null;
  /** How we reach our TURN server, when our side is relayed. */
  relayProtocol: RelayProtocol | null;
  /** What limits the video we send (Chromium only; null elsewhere). */
  limitation: LimitationReason | null;
  /** The video we send: frame height and frames per second; null while none goes out. */
  sentFrameHeight: number | null;
  sentFps: number | null;
  /** What the browser estimates it could send on the selected pair (bit/s; Chromium only). */
  availableOutgoingBitrate: number | null;
  /** Whether any media packet arrived in the interval (null for a first report). */
  receiving: boolean | null;
}

/** The plain entries of a getStats() report (a Map-like of objects). */
export function statsEntries(report: { forEach(callback: (value: unknown) => void): void }): StatsEntry[] {
  const entries: StatsEntry[] = [];
  report.forEach((value) => {
    const entry = (value ?? {}) as Partial<StatsEntry>;
    if (typeof entry.id === 'string' && typeof entry.type === 'string') entries.push(entry as StatsEntry);
  });
  return entries;
}

export function linkStats(previous: readonly StatsEntry[] | null, current: readonly StatsEntry[]): LinkStats {
  const before = new Map((previous ?? []).map((entry) => [entry.id, entry]));
  const inbound = current.filter((entry) => entry.type === 'inbound-rtp');
  const outbound = current.filter((entry) => entry.type === 'outbound-rtp');
  const remoteInbound = current.filter((entry) => entry.type === 'remote-inbound-rtp');
  const video = mainStream(inbound.filter((entry) => kind(entry) === 'video'), 'bytesReceived');
  const sentVideo = mainStream(outbound.filter((entry) => kind(entry) === 'video'), 'bytesSent');
  const pair = selectedPair(current);
  const local = pair && byId(current, str(pair, 'localCandidateId'));
  const remote = pair && byId(current, str(pair, 'remoteCandidateId'));
  const at = Math.max(0, ...current.map((entry) => entry.timestamp).filter(Number.isFinite));

  const received = deltas(inbound, before, ['packetsReceived', 'packetsLost', 'bytesReceived']);
  const sent = deltas(outbound, before, ['packetsSent', 'bytesSent']);
  const reportedLost = deltas(remoteInbound, before, ['packetsLost']);
  const intervalMs = received.intervalMs || sent.intervalMs;
  const previousVideo = video && before.get(video.id);
  const freezeCount = video ? num(video, 'freezeCount') : null;
  const previousFreezes = previousVideo ? num(previousVideo, 'freezeCount') : null;
  const frozen = video ? num(video, 'totalFreezesDuration') : null;
  const previousFrozen = previousVideo ? num(previousVideo, 'totalFreezesDuration') : null;

  return {
    at,
    intervalMs,
    rttMs: roundTrip(pair, remoteInbound),
    lossIn: intervalMs ? lossFraction(received.sums['packetsLost'], received.sums['packetsReceived']) : null,
    lossOut: intervalMs
      ? reportedLost.count
        ? lossFraction(reportedLost.sums['packetsLost'], sent.sums['packetsSent'])
        : fractionLost(remoteInbound)
      : null,
    jitterMs: scale(maxOf(inbound.map((entry) => num(entry, 'jitter'))), 1000),
    bitrateIn: intervalMs && received.count ? (received.sums['bytesReceived'] * 8 * 1000) / intervalMs : null,
    bitrateOut: intervalMs && sent.count ? (sent.sums['bytesSent'] * 8 * 1000) / intervalMs : null,
    fps: video ? receivedFps(video, previousVideo) : null,
    frameHeight: video ? num(video, 'frameHeight') : null,
    freezeCount,
    totalFreezesDuration: frozen,
    freezesInInterval: freezeCount !== null && previousFreezes !== null ? Math.max(0, freezeCount - previousFreezes) : 0,
    frozenSecondsInInterval: frozen !== null && previousFrozen !== null ? Math.max(0, frozen - previousFrozen) : 0,
    localCandidateType: candidateType(local),
    remoteCandidateType: candidateType(remote),
    relayProtocol: candidateType(local) === 'relay' ? relayProtocol(local) : null,
    limitation: sentVideo ? limitation(sentVideo) : null,
    sentFrameHeight: sentVideo ? num(sentVideo, 'frameHeight') : null,
    sentFps: sentVideo ? num(sentVideo, 'framesPerSecond') : null,
    availableOutgoingBitrate: pair ? num(pair, 'availableOutgoingBitrate') : null,
    receiving: intervalMs && received.count ? received.sums['packetsReceived'] > 0 : null,
  };
}

/**
 * The pair ICE chose: `transport.selectedCandidatePairId` (Chromium, current
 * Firefox), else a pair marked `selected` (older Firefox), else the nominated
 * succeeded pair that carried the most bytes.
 */
export function selectedPair(entries: readonly StatsEntry[]): StatsEntry | undefined {
  for (const transport of entries.filter((entry) => entry.type === 'transport')) {
    const pair = byId(entries, str(transport, 'selectedCandidatePairId'));
    if (pair) return pair;
  }
  const pairs = entries.filter((entry) => entry.type === 'candidate-pair');
  return (
    pairs.find((pair) => pair['selected'] === true) ??
    mainStream(
      pairs.filter((pair) => pair['nominated'] === true && pair['state'] === 'succeeded'),
      'bytesReceived',
    )
  );
}

function roundTrip(pair: StatsEntry | undefined, remoteInbound: readonly StatsEntry[]): number | null {
  const current = pair ? num(pair, 'currentRoundTripTime') : null;
  // Firefox reports 0 for a pair whose checks have not measured yet; RTCP then knows better.
  if (current !== null && current > 0) return current * 1000;
  const rtcp = maxOf(remoteInbound.map((entry) => num(entry, 'roundTripTime')));
  if (rtcp !== null) return rtcp * 1000;
  return current === null ? null : current * 1000;
}

function receivedFps(video: StatsEntry, previous: StatsEntry | undefined): number | null {
  const reported = num(video, 'framesPerSecond');
  if (reported !== null) return reported;
  // Not reported while no frame was decoded lately (Chromium leaves it out): count them instead.
  const decoded = num(video, 'framesDecoded');
  const decodedBefore = previous ? num(previous, 'framesDecoded') : null;
  if (decoded === null || decodedBefore === null || !previous || video.timestamp <= previous.timestamp) return null;
  return ((decoded - decodedBefore) * 1000) / (video.timestamp - previous.timestamp);
}

function limitation(video: StatsEntry): LimitationReason | null {
  const reason = str(video, 'qualityLimitationReason');
  return reason === 'none' || reason === 'bandwidth' || reason === 'cpu' || reason === 'other' ? reason : null;
}

function candidateType(candidate: StatsEntry | undefined): CandidateType | null {
  const type = candidate && str(candidate, 'candidateType');
  return type === 'host' || type === 'srflx' || type === 'prflx' || type === 'relay' ? type : null;
}

function relayProtocol(candidate: StatsEntry | undefined): RelayProtocol | null {
  const protocol = candidate && str(candidate, 'relayProtocol');
  return protocol === 'udp' || protocol === 'tcp' || protocol === 'tls' ? protocol : null;
}

/** Sums of counter increases over the streams present in both reports, and the time they span. */
function deltas(
  entries: readonly StatsEntry[],
  before: ReadonlyMap<string, StatsEntry>,
  fields: readonly string[],
): { sums: Record<string, number>; count: number; intervalMs: number } {
  const sums = Object.fromEntries(fields.map((field) => [field, 0]));
  let count = 0;
  let intervalMs = 0;
  for (const entry of entries) {
    const previous = before.get(entry.id);
    if (!previous || entry.timestamp <= previous.timestamp) continue;
    count += 1;
    intervalMs = Math.max(intervalMs, entry.timestamp - previous.timestamp);
    for (const field of fields) {
      const now = num(entry, field);
      const then = num(previous, field);
      // A counter that went backwards belongs to a restarted stream: nothing to add.
      if (now !== null && then !== null && now >= then) sums[field] += now - then;
    }
  }
  return { sums, count, intervalMs };
}

function lossFraction(lost: number, delivered: number): number {
  const total = lost + delivered;
  return total > 0 ? Math.min(1, Math.max(0, lost / total)) : 0;
}

/** The other side's last receiver report, where no earlier one is here to compare with. */
function fractionLost(remoteInbound: readonly StatsEntry[]): number | null {
  return maxOf(remoteInbound.map((entry) => num(entry, 'fractionLost')));
}

function mainStream(entries: readonly StatsEntry[], field: string): StatsEntry | undefined {
  let best: StatsEntry | undefined;
  for (const entry of entries) if (!best || (num(entry, field) ?? 0) > (num(best, field) ?? 0)) best = entry;
  return best;
}

function kind(entry: StatsEntry): string | null {
  return str(entry, 'kind') ?? str(entry, 'mediaType');
}

function byId(entries: readonly StatsEntry[], id: string | null): StatsEntry | undefined {
  return id === null ? undefined : entries.find((entry) => entry.id === id);
}

function scale(value: number | null, factor: number): number | null {
  return value === null ? null : value * factor;
}

function maxOf(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length ? Math.max(...present) : null;
}

function num(entry: StatsEntry, field: string): number | null {
  const value = entry[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(entry: StatsEntry, field: string): string | null {
  const value = entry[field];
  return typeof value === 'string' ? value : null;
}
