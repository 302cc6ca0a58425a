import type { ReportAttendance, ReportLink, ReportSample } from './rest';
import { describeFindings, summarizeQuality } from './quality-summary';

const people = ['Hana', 'Kumi', 'Ola'] as const;
type Person = (typeof people)[number];
const attendance: ReportAttendance[] = people.map((name, index) => ({
  participationId: `part-${name}`,
  peerId: `peer-${name}-xxxxxxxx`,
  userId: `user-${index}`,
  name,
  role: index === 0 ? 'host' : 'guest',
  joinedAt: '2026-11-29T14:00:00.000Z',
  leftAt: null,
  leftReason: null,
  durationSeconds: 1800,
}));

/** A sample at 14:mm:ss that reports nothing but what the case sets. */
function sample(time: string, measures: Partial<ReportSample> = {}): ReportSample {
  return {
    at: `2026-11-29T${time}.000Z`,
    windowSec: 10,
    rttMs: 40,
    lossIn: 0,
    lossOut: 0,
    jitterMs: 5,
    bitrateIn: 800_000,
    bitrateOut: 800_000,
    fpsIn: 30,
    frameHeightIn: 540,
    freezeCount: 0,
    totalFreezesDuration: 0,
    localCandidateType: 'host',
    remoteCandidateType: 'host',
    relayProtocol: null,
    qualityLimitationReason: 'none',
    iceRestarts: 0,
    ...measures,
  };
}

function link(from: Person, to: Person, samples: ReportSample[]): ReportLink {
  return {
    from,
    to,
    fromParticipationId: `part-${from}`,
    toParticipationId: `part-${to}`,
    fromPeerId: `peer-${from}-xxxxxxxx`,
    toPeerId: `peer-${to}-xxxxxxxx`,
    samples,
  };
}

/** Every ordered pair with two quiet samples, and the case's own links in their place. */
function meeting(...special: ReportLink[]): ReportLink[] {
  const quiet = people.flatMap((from) =>
    people.filter((to) => to !== from).map((to) => link(from, to, [sample('14:00:10'), sample('14:00:20')])),
  );
  return quiet.map((each) => special.find((link) => link.from === each.from && link.to === each.to) ?? each);
}

const summaryOf = (links: ReportLink[], name: Person) => summarizeQuality({ attendance, links }).find((summary) => summary.name === name);

describe('summarizeQuality', () => {
  it("names a bandwidth-limited uplink with its times, and the freezes the others saw of that person's video", () => {
    // Every 10 s from 14:03:10 to 14:05:00, as a browser sends them.
    const limited = Array.from({ length: 12 }, (_, index) => {
      const seconds = 3 * 60 + 10 + index * 10;
      return sample(`14:0${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`, { qualityLimitationReason: 'bandwidth' });
    });
    const links = meeting(
      link('Kumi', 'Hana', limited),
      link('Kumi', 'Ola', limited),
      link('Hana', 'Kumi', [sample('14:04:00', { freezeCount: 2, totalFreezesDuration: 3 })]),
      link('Ola', 'Kumi', [sample('14:04:10', { freezeCount: 1, totalFreezesDuration: 1.2 })]),
    );
    expect(summaryOf(links, 'Kumi')?.text).toBe("Kumi's uplink was limited by bandwidth 14:03–14:05 UTC; 3 freezes, 4.2 s in all.");
    expect(summaryOf(links, 'Kumi')?.findings[0]).toEqual({
      kind: 'uplink-limited',
      cause: 'bandwidth',
      periods: [{ from: '2026-11-29T14:03:00.000Z', to: '2026-11-29T14:05:00.000Z' }],
    });
    expect(summaryOf(links, 'Hana')?.text).toBe('Hana: no trouble seen.');
  });

  it("does not blame someone's uplink for bandwidth limited toward one person only (the other end's congested uplink delays the feedback)", () => {
    const limited = [sample('14:03:10', { qualityLimitationReason: 'bandwidth' }), sample('14:03:20', { qualityLimitationReason: 'bandwidth' })];
    const links = meeting(link('Hana', 'Kumi', limited));
    expect(summaryOf(links, 'Hana')?.findings).toEqual([]);
    // Toward both others: Hana's own uplink.
    expect(summaryOf(meeting(link('Hana', 'Kumi', limited), link('Hana', 'Ola', limited)), 'Hana')?.findings.map((finding) => finding.kind)).toEqual([
      'uplink-limited',
    ]);
  });

  it('does not blame one limited sample (a new connection ramping up), and names the CPU apart from bandwidth', () => {
    const links = meeting(
      link('Kumi', 'Hana', [sample('14:00:10', { qualityLimitationReason: 'bandwidth' }), sample('14:00:20')]),
      link('Ola', 'Hana', [sample('14:10:10', { qualityLimitationReason: 'cpu' }), sample('14:10:20', { qualityLimitationReason: 'cpu' })]),
    );
    expect(summaryOf(links, 'Kumi')?.findings).toEqual([]);
    expect(summaryOf(links, 'Ola')?.text).toBe("Ola's device (CPU) limited the video they sent 14:10 UTC.");
  });

  it('puts loss on one link only on the path between the two, not on the sender', () => {
    const links = meeting(link('Hana', 'Ola', [sample('14:10:10', { lossIn: 0.08 }), sample('14:10:20', { lossIn: 0.06 }), sample('14:12:00', { lossIn: 0 })]));
    expect(summaryOf(links, 'Hana')?.findings).toEqual([
      {
        kind: 'link-loss',
        peer: 'Ola',
        peerParticipationId: 'part-Ola',
        loss: 0.08,
        periods: [{ from: '2026-11-29T14:10:00.000Z', to: '2026-11-29T14:10:20.000Z' }],
      },
    ]);
    expect(summaryOf(links, 'Hana')?.text).toBe("Hana lost up to 8% of Ola's packets 14:10 UTC while others received Ola well (the path between them).");
    expect(summaryOf(links, 'Ola')?.findings).toEqual([]);
  });

  it("puts loss that everyone receiving one person sees on that person's uplink", () => {
    const links = meeting(
      link('Hana', 'Ola', [sample('14:10:10', { lossIn: 0.12 })]),
      // Kumi's side of the same story: the sender's view (remote-inbound-rtp) counts as well.
      link('Ola', 'Kumi', [sample('14:10:15', { lossOut: 0.09 })]),
    );
    expect(summaryOf(links, 'Ola')?.findings).toEqual([
      { kind: 'uplink-loss', loss: 0.12, periods: [{ from: '2026-11-29T14:10:00.000Z', to: '2026-11-29T14:10:15.000Z' }] },
    ]);
    expect(summaryOf(links, 'Ola')?.text).toBe("Ola: the others lost up to 12% of Ola's packets 14:10 UTC (Ola's uplink).");
    expect(summaryOf(links, 'Hana')?.findings).toEqual([]);
    expect(summaryOf(links, 'Kumi')?.findings).toEqual([]);
  });

  it("puts loss on the sender's uplink when one receiver measured it high and the other lower (measured loss wanders)", () => {
    // The network lab's case: 10% dropped on Ola's uplink, measured 8% at Hana and 3% at Kumi over one window.
    const links = meeting(link('Hana', 'Ola', [sample('14:10:10', { lossIn: 0.08 })]), link('Kumi', 'Ola', [sample('14:10:12', { lossIn: 0.03 })]));
    expect(summaryOf(links, 'Ola')?.findings).toEqual([
      { kind: 'uplink-loss', loss: 0.08, periods: [{ from: '2026-11-29T14:10:00.000Z', to: '2026-11-29T14:10:10.000Z' }] },
    ]);
    expect(summaryOf(links, 'Hana')?.findings).toEqual([]);
    expect(summaryOf(links, 'Kumi')?.findings).toEqual([]);
  });

  it('still calls it one link when the others lost less than half the threshold', () => {
    const links = meeting(link('Hana', 'Ola', [sample('14:10:10', { lossIn: 0.08 })]), link('Kumi', 'Ola', [sample('14:10:12', { lossIn: 0.02 })]));
    expect(summaryOf(links, 'Hana')?.findings.map((finding) => finding.kind)).toEqual(['link-loss']);
    expect(summaryOf(links, 'Ola')?.findings).toEqual([]);
  });

  it("puts loss from everyone on the receiver's downlink", () => {
    const links = meeting(
      link('Hana', 'Kumi', [sample('14:20:10', { lossIn: 0.2 })]),
      link('Hana', 'Ola', [sample('14:21:10', { lossIn: 0.07 })]),
    );
    expect(summaryOf(links, 'Hana')?.text).toBe('Hana lost up to 20% of the packets from everyone 14:20 and 14:21 UTC (Hana\'s downlink).');
  });

  it('names a relayed path with the protocol and the people on those links', () => {
    const relayed = [sample('14:00:10', { localCandidateType: 'relay', relayProtocol: 'tcp' })];
    const links = meeting(link('Kumi', 'Hana', relayed), link('Hana', 'Kumi', [sample('14:00:10', { remoteCandidateType: 'relay' })]));
    expect(summaryOf(links, 'Kumi')?.findings).toEqual([{ kind: 'relayed', protocols: ['tcp'], peers: ['Hana'] }]);
    expect(summaryOf(links, 'Kumi')?.text).toBe('Kumi: relayed through TURN (tcp) with Hana.');
    expect(summaryOf(links, 'Hana')?.findings).toEqual([]);
  });

  it('counts reconnections with the people and times', () => {
    const links = meeting(
      link('Kumi', 'Hana', [sample('14:20:00', { iceRestarts: 1 })]),
      link('Kumi', 'Ola', [sample('14:20:05', { iceRestarts: 1 }), sample('14:31:00', { iceRestarts: 1 })]),
    );
    expect(summaryOf(links, 'Kumi')?.findings).toEqual([
      {
        kind: 'reconnections',
        count: 3,
        times: ['2026-11-29T14:20:00.000Z', '2026-11-29T14:20:05.000Z', '2026-11-29T14:31:00.000Z'],
        peers: ['Hana', 'Ola'],
      },
    ]);
    expect(summaryOf(links, 'Kumi')?.text).toBe('Kumi: 3 reconnections with Hana and Ola (14:20 and 14:31 UTC).');
  });

  it('says when a person has no samples at all, in attendance order', () => {
    const summaries = summarizeQuality({ attendance, links: [] });
    expect(summaries.map((summary) => summary.text)).toEqual(['Hana: no quality samples.', 'Kumi: no quality samples.', 'Ola: no quality samples.']);
  });

  it('renders times as the reader asks (local time, no zone label)', () => {
    const text = describeFindings(
      'Kumi',
      [{ kind: 'uplink-limited', cause: 'bandwidth', periods: [{ from: '2026-11-29T14:03:00.000Z', to: '2026-11-29T14:05:00.000Z' }] }],
      true,
      { formatTime: (at) => `${at.getUTCHours() + 9}:${String(at.getUTCMinutes()).padStart(2, '0')}`, zoneLabel: '' },
    );
    expect(text).toBe("Kumi's uplink was limited by bandwidth 23:03–23:05.");
  });

  it('lists at most three periods and says how many more', () => {
    const periods = [0, 10, 20, 30, 40].map((minute) => ({
      from: `2026-11-29T15:${String(minute).padStart(2, '0')}:00.000Z`,
      to: `2026-11-29T15:${String(minute + 1).padStart(2, '0')}:00.000Z`,
    }));
    expect(describeFindings('Ola', [{ kind: 'uplink-limited', cause: 'bandwidth', periods }])).toBe(
      "Ola's uplink was limited by bandwidth 15:00–15:01, 15:10–15:11, 15:20–15:21 and 2 more UTC.",
    );
  });
});
