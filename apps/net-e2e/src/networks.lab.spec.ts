import type { ClientNetwork } from '@mesh-meet/net-lab';
import { labAvailable } from '@mesh-meet/net-lab';
import { CHROMIUM, describeIf, haveBinaries, waitFor } from '@mesh-meet/testing';
import { chatTexts, createMeeting, iceStates, joinMeeting, pollUntil, receivingAudio, waitForFramesFromAll, waitForTiles } from '@mesh-meet/testing/meeting-ui';
import { attendance } from './support/attendance';
import { figure } from './support/figures';
import { advancing, frameLog, longestPause, pausesWithPresented, recordFrames, recoveredAfter } from './support/frames';
import { type Person, labSuite } from './support/lab-suite';
import { inboundVideo, sending } from './support/stats';
import { TRACE, echoPageWarnings, tracePeerConnections, traceVideoSenders } from './support/trace';

/*
 * Three-person calls whose networks change under them: a phone moving between
 * Wi-Fi and 4G. The figures (recovery times) are logged as NETWORK-FIGURES
 * lines and gathered by `npm run bench` (networks section); only generous
 * bounds are asserted here.
 */
const available = labAvailable('network lab: changing networks (apps/net-e2e)') && haveBinaries('network lab: changing networks', [CHROMIUM]);

/** The issue's narrow uplink: 500 kbit/s with 5% of the packets lost. */
const NARROW_UPLINK_KBIT = 500;
const UPLINK_LOSS_PERCENT = 5;
/** How long the tests watch media under an impairment or an outage. */
const OBSERVE_MS = 20_000;
/** The app server's port in the lab (lab-suite's server with TURN). */
const APP_PORT = 8080;

/** Far above the 5 s target: a loaded machine is slow, a stuck call never recovers. */
const RECOVERY_BOUND_MS = 20_000;

interface Call {
  /** When the call's pages started logging (the console lines' clock). */
  started: number;
  /** The app server's log lines about joins, resumes and departures, for a failure's report. */
  serverEvents: () => string[];
  host: Person;
  phone: Person;
  third: Person;
  hostUrl: string;
  everyone: Person[];
}

/** Host, then the phone, then a third person, all on home networks: the phone is polite to the host and impolite to the third. */
async function threePersonCall(suite: ReturnType<typeof labSuite>, title: string): Promise<Call> {
  const [app, host, phone, third] = await Promise.all([
    suite.server(true),
    suite.person('home', 'host'),
    suite.person('home', 'phone'),
    suite.person('home', 'third'),
  ]);
  const { hostUrl, guestUrl } = await createMeeting(host.page, app.url, title);
  await joinMeeting(host.page, hostUrl, 'Host');
  await joinMeeting(phone.page, guestUrl, 'Phone');
  await joinMeeting(third.page, guestUrl, 'Third');
  const everyone = [host, phone, third];
  // What the app warns about (negotiation, signaling) goes to the test output: the first thing to read when a case fails.
  const started = Date.now();
  for (const person of everyone) echoPageWarnings(person, started);
  for (const person of everyone) await waitForTiles(person.page, 2, 30_000);
  for (const person of everyone) await waitForFramesFromAll(person.page, 5, 40_000);
  for (const person of everyone) await person.page.evaluate(recordFrames);
  if (TRACE) for (const person of everyone) await person.page.evaluate(tracePeerConnections);
  const serverEvents = () =>
    app
      .output()
      .split('\n')
      .filter((line) => /"msg":"(joined|resumed|left|disconnected)/.test(line))
      .map((line) => line.slice(0, 200));
  return { started, serverEvents, host, phone, third, hostUrl, everyone };
}

/**
 * Waits until every tile on every page shows frames again after `since`,
 * and returns how long after `since` the last of them came back.
 */
async function recoveryTime(people: Person[], since: number, serverEvents: () => string[] = () => []): Promise<number> {
  // The frames from a while before the switch on: enough to see where the picture stopped.
  const read = () => Promise.all(people.map((person) => person.page.evaluate(frameLog, since - 5000)));
  let logs = await read();
  const recovered = waitFor(
    async () => {
      logs = await read();
      const now = Date.now();
      // Two seconds at least: frames already queued when the path broke must not pass for recovered ones.
      return now - since > 2000 && logs.every((log) => Object.values(log.frames).every((times) => advancing(times, since, now, 3, 2000)));
    },
    { what: 'frames advancing again on every page', timeoutMs: 90_000, intervalMs: 1000 },
  );
  try {
    await recovered;
  } catch (error) {
    // Where each page's connections stand, and which pictures are still, beside the error.
    const now = Date.now();
    for (const [index, person] of people.entries()) {
      const states = await person.page.evaluate(iceStates);
      const count = (times: number[], from: number, to: number) => times.filter((time) => time > from && time <= to).length;
      const recent = Object.entries(logs[index].frames).map(
        ([name, times]) => `${name} ${count(times, since - 5000, since)} before the switch, ${count(times, now - 5000, now)} in the last 5 s`,
      );
      console.log(`${person.network.label}: connections ${JSON.stringify(states)}; frames: ${recent.join('; ')}`);
    }
    console.log(`server: ${serverEvents().join('\n')}`);
    throw error;
  }
  return Math.max(...logs.flatMap((log) => Object.values(log.frames).map((times) => recoveredAfter(times, since))));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describeIf(available)('calls through changing networks (network lab)', () => {
  const suite = labSuite();

  it('keeps a three-person call going while one person moves between Wi-Fi and 4G, both ways a phone does it, again and again', async () => {
    const call = await threePersonCall(suite, 'Lab network change');
    const lab = suite.lab();
    const [wifi] = lab.networksOf(call.phone.network);
    const mobile = lab.addNetwork(call.phone.network, 'carrier');
    let current: ClientNetwork = wifi;
    const recoveries: Record<'a' | 'b', number[]> = { a: [], b: [] };

    /**
     * (a) the network in use goes, the browser is offline, then the other comes up;
     * (b) the other comes up while the one in use is still there, then the one in use goes.
     * Returns when the network in use went away: the switch.
     */
    async function move(variant: 'a' | 'b'): Promise<number> {
      const next = current === wifi ? mobile : wifi;
      console.log(`[test +${Date.now() - call.started} ms] network change (${variant}) from ${current.device} to ${next.device}`);
      let switched: number;
      if (variant === 'a') {
        switched = Date.now();
        lab.setNetworkUp(current, false);
        // Offline until the browser has noticed (navigator.onLine), as a phone between networks.
        const offline = await pollUntil(() => call.phone.page.evaluate(() => navigator.onLine), (online) => !online, 5000);
        expect(offline).toBe(false);
        lab.setNetworkUp(next, true);
      } else {
        lab.setNetworkUp(next, true);
        // Both networks up until the browser's network list has the new one; then the old one goes.
        await waitFor(async () => (await call.phone.page.evaluate(() => navigator.onLine)) === true, { what: 'online', timeoutMs: 5000 });
        switched = Date.now();
        lab.setNetworkUp(current, false);
      }
      current = next;
      return switched;
    }

    // Each variant twice, so each goes both ways: Wi-Fi to 4G and back (a), then again overlapping (b).
    for (const variant of ['a', 'a', 'b', 'b'] as const) {
      const before = await call.phone.page.evaluate(iceStates);
      console.log(`phone's connections before: ${JSON.stringify(before)}`);
      const switched = await move(variant);
      const recovered = await recoveryTime(call.everyone, switched, call.serverEvents);
      recoveries[variant].push(recovered);
      console.log(`[test +${Date.now() - call.started} ms] network change (${variant}) to ${current === wifi ? 'Wi-Fi' : '4G'}: frames back on every page ${recovered} ms after the switch`);
      if (TRACE) {
        for (const person of call.everyone) {
          const log = await person.page.evaluate(frameLog, switched - 5000);
          console.log(`${person.network.label}: ${Object.entries(log.frames).map(([name, times]) => `${name} back after ${recoveredAfter(times, switched)} ms`).join(', ')}`);
          for (const [name, times] of Object.entries(log.frames)) {
            const pauses = pausesWithPresented(times, log.presented[name] ?? [], 400).map((p) => ({ ...p, at: p.at - switched }));
            console.log(`${person.network.label}: ${name}'s pauses over 400 ms (at: ms after the switch): ${JSON.stringify(pauses)}`);
          }
        }
        console.log(`server (test started at ${call.started}): ${call.serverEvents().join('\n')}`);
      }
      expect(recovered).toBeLessThan(RECOVERY_BOUND_MS);

      // ICE restarted on both of the phone's connections (new credentials both ways) and is connected.
      // The picture may be back before that (ICE can follow a new network by itself): wait for the restart.
      const restarted = (state: { localUfrag: string }) => !before.some((old) => old.localUfrag === state.localUfrag);
      const after = await pollUntil(
        () => call.phone.page.evaluate(iceStates),
        (read) => read.length === 2 && read.every((state) => state.connectionState === 'connected' && state.signalingState === 'stable' && restarted(state)),
        20_000,
      );
      expect(after.map((state) => state.connectionState)).toEqual(['connected', 'connected']);
      expect(after.map((state) => state.localUfrag)).not.toEqual(expect.arrayContaining(before.map((state) => state.localUfrag)));
      // Sound both ways too, on every page.
      for (const person of call.everyone) expect(await pollUntil(() => receivingAudio(person.page), Boolean, 20_000)).toBe(true);
    }

    // Nobody saw the phone leave: no tile went away on any page, and it kept one attendance row, still open.
    for (const person of call.everyone) expect((await person.page.evaluate(frameLog, Date.now())).fewestTiles).toBe(2);
    const entries = (await attendance(call.host.page, call.hostUrl)).entries;
    expect(entries.filter((entry) => entry.name === 'Phone')).toEqual([expect.objectContaining({ leftAt: null })]);
    expect(entries).toHaveLength(3);

    figure('recovery after a network change (a: offline between)', recoveries.a, 'ms');
    figure('recovery after a network change (b: overlapping)', recoveries.b, 'ms');
    console.log(`network change recovery medians: (a) ${median(recoveries.a)} ms, (b) ${median(recoveries.b)} ms; target 5000 ms`);
  }, 360_000);

  it('keeps the call up for someone on a narrow, lossy uplink: they send under the cap, the others keep seeing and hearing them', async () => {
    const call = await threePersonCall(suite, 'Lab narrow uplink');
    const lab = suite.lab();
    if (TRACE) await call.phone.page.evaluate(traceVideoSenders);
    lab.setRateCap(call.phone.network, 'uplink', NARROW_UPLINK_KBIT);
    lab.setLoss(call.phone.network, { uplinkPercent: UPLINK_LOSS_PERCENT });
    const impaired = Date.now();
    if (TRACE) console.log(`narrow uplink: impaired at +${impaired - call.started} ms`);

    // The senders back off until what leaves the phone fits the link (headers included), and each
    // connection's estimate of its path has come down to it (two connections, two estimators: one may lag).
    const settled = await pollUntil(
      () => call.phone.page.evaluate(sending, 3000),
      (read) => read.bitsPerSecond < NARROW_UPLINK_KBIT * 1000 && read.availableOutgoingBitrate.every((estimate) => estimate < NARROW_UPLINK_KBIT * 1000 * 1.5),
      60_000,
    );
    const settleMs = Date.now() - impaired;
    console.log(`narrow uplink: sending ${settled.bitsPerSecond} bit/s after ${settleMs} ms; estimates ${settled.availableOutgoingBitrate.join(', ')} bit/s; limited by ${settled.qualityLimitationReasons.join(', ')}`);
    expect(settled.bitsPerSecond).toBeLessThan(NARROW_UPLINK_KBIT * 1000);
    expect(settled.availableOutgoingBitrate.every((estimate) => estimate < NARROW_UPLINK_KBIT * 1000 * 1.5)).toBe(true);

    // Then the others watch and listen for a while: a frame in every 2-second window, sound throughout.
    const [hostBefore, thirdBefore] = await Promise.all([call.host.page.evaluate(inboundVideo), call.third.page.evaluate(inboundVideo)]);
    const watchFrom = Date.now();
    if (TRACE) console.log(`narrow uplink: watching from +${watchFrom - call.started} ms`);
    const heard: boolean[] = [];
    while (Date.now() - watchFrom < OBSERVE_MS) {
      for (const person of [call.host, call.third]) heard.push(await receivingAudio(person.page));
    }
    const watchTo = Date.now();
    expect(heard.every(Boolean)).toBe(true);
    for (const person of [call.host, call.third]) {
      const pause = longestPause((await person.page.evaluate(frameLog, watchFrom)).frames['Phone'] ?? [], watchFrom, watchTo);
      console.log(`narrow uplink: longest pause in the phone's video on ${person.network.label}: ${pause} ms`);
      if (TRACE) {
        const log = await person.page.evaluate(frameLog, watchFrom);
        const pauses = pausesWithPresented(log.frames['Phone'] ?? [], log.presented['Phone'] ?? [], 500).map((p) => ({ ...p, at: p.at - call.started }));
        console.log(`narrow uplink: pauses over 500 ms on ${person.network.label}: ${JSON.stringify(pauses)}`);
      }
      expect(pause).toBeLessThan(2000);
    }
    const still = await call.phone.page.evaluate(sending, 3000);
    expect(still.bitsPerSecond).toBeLessThan(NARROW_UPLINK_KBIT * 1000);

    // Freezes of the phone's video as its receivers counted them, over the watch.
    const freezes = [];
    for (const [person, before] of [[call.host, hostBefore], [call.third, thirdBefore]] as const) {
      const after = await person.page.evaluate(inboundVideo);
      const from = (list: typeof after) => list.find((video) => video.remoteAddress === call.phone.network.publicAddress);
      const start = from(before);
      const end = from(after);
      expect(end).toBeDefined();
      freezes.push({
        count: (end?.freezeCount ?? 0) - (start?.freezeCount ?? 0),
        seconds: Number(((end?.totalFreezesDuration ?? 0) - (start?.totalFreezesDuration ?? 0)).toFixed(2)),
      });
    }
    console.log(`narrow uplink: freezes over ${watchTo - watchFrom} ms at the host and the third: ${JSON.stringify(freezes)}`);
    figure('narrow lossy uplink: settle time', settleMs, 'ms');
    figure('narrow lossy uplink: sending rate', still.bitsPerSecond, 'bit/s');
    figure('narrow lossy uplink: receiver freezes per 20 s', freezes.map((freeze) => freeze.count), 'freezes');
    figure('narrow lossy uplink: receiver frozen seconds per 20 s', freezes.map((freeze) => freeze.seconds), 's');
  }, 240_000);

  it('keeps media flowing through a 20 s signaling outage; the clients resume and nobody is dropped', async () => {
    // Two homes: media goes directly between them, not through the lab internet's host.
    const { host, guest, hostUrl } = await suite.call('home', 'home', { turn: true });
    for (const person of [host, guest]) await waitForTiles(person.page, 1, 30_000);
    for (const person of [host, guest]) await waitForFramesFromAll(person.page, 5, 40_000);
    for (const person of [host, guest]) await person.page.evaluate(recordFrames);
    const lab = suite.lab();
    const started = Date.now();
    if (TRACE) {
      for (const person of [host, guest]) {
        echoPageWarnings(person, started);
        await person.page.evaluate(tracePeerConnections);
      }
    }

    lab.blockInternetPorts([APP_PORT]);
    const cut = Date.now();
    const heard: boolean[] = [];
    try {
      while (Date.now() - cut < OBSERVE_MS) {
        for (const person of [host, guest]) heard.push(await receivingAudio(person.page));
      }
    } finally {
      lab.blockInternetPorts([]);
    }
    const restored = Date.now();
    if (TRACE) console.log(`signaling outage: cut at +${cut - started} ms, restored at +${restored - started} ms`);
    expect(heard.every(Boolean)).toBe(true);

    // Back on the signaling channel: a chat message from the guest reaches the host.
    // Messages are on the page only while the chat panel is open.
    for (const person of [host, guest]) await person.page.getByTestId('toggle-chat').click();
    await waitFor(
      async () => {
        // Sent while the connection is still down, a message is lost (the input empties anyway): type it again.
        await guest.page.getByTestId('chat-input').fill('back again');
        await guest.page.getByTestId('chat-send').click();
        return waitFor(async () => (await host.page.evaluate(chatTexts)).some((text) => text.includes('back again')), {
          what: 'the message at the host',
          timeoutMs: 3000,
          intervalMs: 250,
        }).catch(() => false);
      },
      { what: "the guest's chat message at the host", timeoutMs: 60_000, intervalMs: 500 },
    );
    const resumed = Date.now() - restored;
    console.log(`signaling outage: chat through again ${resumed} ms after the path came back`);

    const end = Date.now();
    for (const person of [host, guest]) {
      const log = await person.page.evaluate(frameLog, cut - 5000);
      expect(log.fewestTiles).toBe(1);
      for (const [name, times] of Object.entries(log.frames)) {
        const pause = longestPause(times, cut, end);
        console.log(`signaling outage: longest pause in ${name}'s video on ${person.network.label}: ${pause} ms`);
        if (TRACE) {
          const pauses = pausesWithPresented(times, log.presented[name] ?? [], 300).map((p) => ({ ...p, at: p.at - started }));
          console.log(`signaling outage: pauses over 300 ms in ${name}'s video on ${person.network.label}: ${JSON.stringify(pauses)}`);
        }
        expect(pause).toBeLessThan(2000);
      }
    }
    // Attendance has no gap: one row each, still open.
    const entries = (await attendance(host.page, hostUrl)).entries;
    expect(entries.map((entry) => [entry.name, entry.leftAt])).toEqual(expect.arrayContaining([['Host', null], ['Guest', null]]));
    expect(entries).toHaveLength(2);
    figure('signaling outage (20 s): signaling back after the path', resumed, 'ms');
  }, 240_000);
});
