import type { ReportAttendance, ReportFinding, ReportLink, ReportPeriod, ReportSample, ReportSummary } from './rest';

/*
 * The meeting report's plain-language summary: for each person, the likely
 * cause of trouble, with times. Pure, so the server (the report's `summaries`)
 * and a page (rendering `findings` again in local time) agree, and a spec can
 * hold it to cases. In a mesh each person's picture of another travels one
 * link, so a cause is told apart by who else saw it: loss that everyone
 * receiving Kumi sees is Kumi's uplink; loss that only Hana sees on Kumi's
 * media is the path between the two.
 */

/** A direction loses packets when at least this fraction is lost over a window. */
export const LOSSY = 0.05;
/**
 * Whose end the loss is at is decided from half that: measured loss wanders
 * around the real one from window to window, and retransmission repairs part
 * of it. Seen in the network lab with 10% dropped on Kumi's uplink: one
 * receiver measured 8% over a window, the other under 5%, and the summary
 * called it the path between the first and Kumi. Loss is someone's uplink
 * when one receiver lost LOSSY and most lost SOME_LOSS; one link's only when
 * the others lost less than SOME_LOSS.
 */
const SOME_LOSS = LOSSY / 2;
/**
 * A browser reports `bandwidth` for a few seconds while a new connection
 * ramps up; a limitation counts when it lasts two samples of a link in a row.
 */
const LIMITED_MIN_SAMPLES = 2;
/**
 * Windows this close together (ms) are one period: a lost message, or one
 * quiet window inside a long stretch of trouble, does not split it in two.
 */
const MERGE_GAP_MS = 12_000;
/** Periods named in the text before "and N more". */
const PERIODS_SHOWN = 3;

export interface SummaryOptions {
  /** A time of day as the reader reads it; UTC `HH:MM` by default. */
  formatTime?: (at: Date) => string;
  /** Said after each time or range (`UTC` by default; '' for local time). */
  zoneLabel?: string;
}

interface Window {
  from: number;
  to: number;
}

/** What a direction of media (sender to receiver) looked like over a window. */
interface Observation extends Window {
  sender: string;
  receiver: string;
  loss: number;
}

/** The summary of every participation, in attendance order. */
export function summarizeQuality(
  report: { attendance: readonly ReportAttendance[]; links: readonly ReportLink[] },
  options: SummaryOptions = {},
): ReportSummary[] {
  const names = new Map(report.attendance.map((row) => [row.participationId, row.name]));
  const nameOf = (participationId: string) => names.get(participationId) ?? 'someone who left no record';
  const losses = lossObservations(report.links);
  const lossyBySender = groupBy(losses.filter((seen) => seen.loss >= LOSSY), (seen) => seen.sender);
  const lossyByReceiver = groupBy(losses.filter((seen) => seen.loss >= LOSSY), (seen) => seen.receiver);
  const someBySender = groupBy(losses.filter((seen) => seen.loss >= SOME_LOSS), (seen) => seen.sender);
  const someByReceiver = groupBy(losses.filter((seen) => seen.loss >= SOME_LOSS), (seen) => seen.receiver);
  const receiversOf = countDistinct(losses, (seen) => seen.sender, (seen) => seen.receiver);
  const sendersTo = countDistinct(losses, (seen) => seen.receiver, (seen) => seen.sender);
  /** Whether most of those who receive (or send to) someone saw loss: a problem at that person's end. */
  const mostly = (lossy: Observation[], key: (seen: Observation) => string, total: number) => {
    const distinct = new Set(lossy.map(key)).size;
    return distinct >= 2 && distinct * 2 >= total;
  };
  /** Someone lost LOSSY of what `sender` sent, and most of its receivers lost SOME_LOSS: the sender's uplink. */
  const uplinkLossy = (sender: string) =>
    (lossyBySender.get(sender) ?? []).length > 0 && mostly(someBySender.get(sender) ?? [], (seen) => seen.receiver, receiversOf.get(sender) ?? 0);

  return report.attendance.map((person) => {
    const id = person.participationId;
    const own = report.links.filter((link) => link.fromParticipationId === id);
    const about = report.links.filter((link) => link.toParticipationId === id);
    const findings: ReportFinding[] = [];

    for (const cause of ['bandwidth', 'cpu'] as const) {
      const limitedLinks = own.map((link) => limitedWindows(link.samples, cause)).filter((windows) => windows.length > 0);
      // A sender's bandwidth estimate drops on a link whose other end has a congested uplink too (its
      // feedback comes late): that is the other person's trouble, and only their links show it.
      // (The CPU is the sender's own whichever link reports it.)
      if (cause === 'bandwidth' ? !onMostLinks(limitedLinks.length, own.length) : limitedLinks.length === 0) continue;
      findings.push({ kind: 'uplink-limited', cause, periods: merge(limitedLinks.flat()).map(toPeriod) });
    }

    const sentLossy = lossyBySender.get(id) ?? [];
    const uplinkLoss = uplinkLossy(id);
    if (uplinkLoss) findings.push({ kind: 'uplink-loss', loss: worst(sentLossy), periods: merge(sentLossy).map(toPeriod) });
    const receivedLossy = lossyByReceiver.get(id) ?? [];
    const downlinkLoss = receivedLossy.length > 0 && mostly(someByReceiver.get(id) ?? [], (seen) => seen.sender, sendersTo.get(id) ?? 0);
    if (downlinkLoss) findings.push({ kind: 'downlink-loss', loss: worst(receivedLossy), periods: merge(receivedLossy).map(toPeriod) });
    if (!downlinkLoss) {
      for (const [sender, seen] of groupBy(receivedLossy, (observation) => observation.sender)) {
        // The sender's own uplink explains it when most of their receivers lose packets too.
        if (uplinkLossy(sender)) continue;
        findings.push({ kind: 'link-loss', peer: nameOf(sender), peerParticipationId: sender, loss: worst(seen), periods: merge(seen).map(toPeriod) });
      }
    }

    const seenFrozen = about.flatMap((link) => link.samples).filter((sample) => (sample.freezeCount ?? 0) > 0);
    if (seenFrozen.length > 0) {
      const count = seenFrozen.reduce((sum, sample) => sum + (sample.freezeCount ?? 0), 0);
      const durationSec = seenFrozen.reduce((sum, sample) => sum + (sample.totalFreezesDuration ?? 0), 0);
      findings.push({ kind: 'freezes', count, durationSec: Math.round(durationSec * 10) / 10 });
    }

    const relayedLinks = [
      ...own.filter((link) => link.samples.some((sample) => sample.localCandidateType === 'relay')).map((link) => link.toParticipationId),
      ...about.filter((link) => link.samples.some((sample) => sample.remoteCandidateType === 'relay')).map((link) => link.fromParticipationId),
    ];
    if (relayedLinks.length > 0) {
      const protocols = unique(own.flatMap((link) => link.samples.map((sample) => (sample.localCandidateType === 'relay' ? sample.relayProtocol : null))));
      findings.push({ kind: 'relayed', protocols, peers: unique(relayedLinks.map(nameOf)) });
    }

    const restarts = own.flatMap((link) =>
      link.samples.filter((sample) => (sample.iceRestarts ?? 0) > 0).map((sample) => ({ sample, peer: link.toParticipationId })),
    );
    if (restarts.length > 0) {
      restarts.sort((a, b) => Date.parse(a.sample.at) - Date.parse(b.sample.at));
      findings.push({
        kind: 'reconnections',
        count: restarts.reduce((sum, { sample }) => sum + (sample.iceRestarts ?? 0), 0),
        times: restarts.map(({ sample }) => sample.at),
        peers: unique(restarts.map(({ peer }) => nameOf(peer))),
      });
    }

    const hasSamples = own.length > 0 || about.length > 0;
    return { participationId: id, name: person.name, findings, text: describeFindings(person.name, findings, hasSamples, options) };
  });
}

/**
 * The findings of one person as a sentence: "Kumi's uplink was limited by
 * bandwidth 14:03–14:05 UTC; 3 freezes, 4.2 s in all."
 */
export function describeFindings(name: string, findings: readonly ReportFinding[], hasSamples = true, options: SummaryOptions = {}): string {
  const formatTime = options.formatTime ?? utcTime;
  const zone = options.zoneLabel ?? 'UTC';
  const zoned = (text: string) => (zone ? `${text} ${zone}` : text);
  const when = (periods: readonly ReportPeriod[]) => zoned(describePeriods(periods, formatTime));
  const times = (isoTimes: readonly string[]) => zoned(listed(unique(isoTimes.map((at) => formatTime(new Date(at)))), PERIODS_SHOWN));
  if (findings.length === 0) return hasSamples ? `${name}: no trouble seen.` : `${name}: no quality samples.`;
  const clauses = findings.map((finding): string => {
    switch (finding.kind) {
      case 'uplink-limited':
        return finding.cause === 'bandwidth'
          ? `${name}'s uplink was limited by bandwidth ${when(finding.periods)}`
          : `${name}'s device (CPU) limited the video they sent ${when(finding.periods)}`;
      case 'uplink-loss':
        return `the others lost up to ${percent(finding.loss)} of ${name}'s packets ${when(finding.periods)} (${name}'s uplink)`;
      case 'downlink-loss':
        return `${name} lost up to ${percent(finding.loss)} of the packets from everyone ${when(finding.periods)} (${name}'s downlink)`;
      case 'link-loss':
        return `${name} lost up to ${percent(finding.loss)} of ${finding.peer}'s packets ${when(finding.periods)} while others received ${finding.peer} well (the path between them)`;
      case 'freezes':
        return `${finding.count} ${finding.count === 1 ? 'freeze' : 'freezes'}, ${finding.durationSec} s in all`;
      case 'relayed':
        return `relayed through TURN${finding.protocols.length ? ` (${finding.protocols.join(', ')})` : ''} with ${listed(finding.peers, Infinity)}`;
      case 'reconnections':
        return `${finding.count} ${finding.count === 1 ? 'reconnection' : 'reconnections'} with ${listed(finding.peers, Infinity)} (${times(finding.times)})`;
    }
  });
  const sentence = clauses.join('; ');
  return `${sentence.startsWith(name) ? sentence : `${name}: ${sentence}`}.`;
}

/** Every direction's loss from both ends: the receiver's `lossIn` and the sender's `lossOut`. */
function lossObservations(links: readonly ReportLink[]): Observation[] {
  return links.flatMap((link) =>
    link.samples.flatMap((sample) => {
      const window = windowOf(sample);
      const seen: Observation[] = [];
      if (sample.lossIn !== null) seen.push({ ...window, sender: link.toParticipationId, receiver: link.fromParticipationId, loss: sample.lossIn });
      if (sample.lossOut !== null) seen.push({ ...window, sender: link.fromParticipationId, receiver: link.toParticipationId, loss: sample.lossOut });
      return seen;
    }),
  );
}

/**
 * Whether a limitation seen on `limited` of someone's `total` links is theirs:
 * on at least two thirds of them (every one of two; with one link, that one).
 * Seen in the network lab: with Kumi's uplink narrow and lossy, Ken's
 * estimate toward Kumi alone said `bandwidth`, and Ken was blamed.
 */
function onMostLinks(limited: number, total: number): boolean {
  return limited > 0 && limited * 3 >= total * 2;
}

/** The windows of a link's runs of at least LIMITED_MIN_SAMPLES samples limited by `cause`. */
function limitedWindows(samples: readonly ReportSample[], cause: 'bandwidth' | 'cpu'): Window[] {
  const kept: Window[] = [];
  let run: Window[] = [];
  const endRun = () => {
    if (run.length >= LIMITED_MIN_SAMPLES) kept.push(...run);
    run = [];
  };
  for (const sample of samples) {
    if (sample.qualityLimitationReason === cause) run.push(windowOf(sample));
    else endRun();
  }
  endRun();
  return kept;
}

function windowOf(sample: ReportSample): Window {
  const to = Date.parse(sample.at);
  return { from: to - sample.windowSec * 1000, to };
}

/** Overlapping or nearly touching windows as one period each, in time order. */
function merge(windows: readonly Window[]): Window[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from);
  const merged: Window[] = [];
  for (const window of sorted) {
    const last = merged.at(-1);
    if (last && window.from <= last.to + MERGE_GAP_MS) last.to = Math.max(last.to, window.to);
    else merged.push({ from: window.from, to: window.to });
  }
  return merged;
}

function toPeriod(window: Window): ReportPeriod {
  return { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
}

function describePeriods(periods: readonly ReportPeriod[], formatTime: (at: Date) => string): string {
  const ranges = periods.map((period) => {
    const from = formatTime(new Date(period.from));
    const to = formatTime(new Date(period.to));
    return from === to ? from : `${from}–${to}`;
  });
  return listed(ranges, PERIODS_SHOWN);
}

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
function listed(items: readonly string[], shown: number): string {
  if (items.length > shown) return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function utcTime(at: Date): string {
  return at.toISOString().slice(11, 16);
}

function percent(fraction: number): string {
  const value = fraction * 100;
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10}%`;
}

function worst(observations: readonly Observation[]): number {
  return Math.round(Math.max(...observations.map((seen) => seen.loss)) * 1000) / 1000;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function countDistinct<T>(items: readonly T[], key: (item: T) => string, value: (item: T) => string): Map<string, number> {
  const sets = new Map<string, Set<string>>();
  for (const item of items) {
    const set = sets.get(key(item)) ?? new Set<string>();
    set.add(value(item));
    sets.set(key(item), set);
  }
  return new Map([...sets].map(([name, set]) => [name, set.size]));
}

function unique<T>(items: ReadonlyArray<T | null>): T[] {
  return [...new Set(items.filter((item): item is T => item !== null))];
}
