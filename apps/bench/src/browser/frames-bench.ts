/**
 * Section 2: time to first frame, in headless Chromium with fake devices
 * and the real app, against a lower bound measured in the same browser in
 * the same run: two RTCPeerConnections in one page, connected directly.
 *
 * Times are taken inside the pages: the click on Join (a capture listener)
 * and the first requestVideoFrameCallback of each remote <video>, both as
 * performance.timeOrigin + performance.now() (one clock on one machine), so
 * the driver's own latency is not counted.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { median, ratio } from '../stats';
import { APP_CAMERA } from './chromium';

const CALL_TIMEOUT_MS = 30_000;

interface Probe {
  joinClickAt: number;
  firstFrames: Record<string, number>;
}

/** Installed in every app page before its scripts run. */
function installProbe(): void {
  const probe: Probe = { joinClickAt: 0, firstFrames: {} };
  (window as unknown as { __bench: Probe }).__bench = probe;
  const clock = () => performance.timeOrigin + performance.now();
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target as Element | null;
      if (target?.closest?.('[data-testid="join"]')) probe.joinClickAt = clock();
    },
    true,
  );
  const watched = new WeakSet<HTMLVideoElement>();
  const watch = () => {
    for (const video of document.querySelectorAll<HTMLVideoElement>('video[data-testid="remote-video"]')) {
      if (watched.has(video)) continue;
      watched.add(video);
      video.requestVideoFrameCallback(() => {
        const name = video.closest('[data-peer-name]')?.getAttribute('data-peer-name') ?? '?';
        probe.firstFrames[name] ??= clock();
      });
    }
  };
  new MutationObserver(watch).observe(document, { childList: true, subtree: true });
}

export interface Participant {
  name: string;
  context: BrowserContext;
  page: Page;
}

export async function newParticipant(browser: Browser, name: string): Promise<Participant> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    permissions: ['camera', 'microphone'],
  });
  await context.addInitScript(installProbe);
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  return { name, context, page };
}

/** Opens a meeting link, types the name, waits for the camera preview as a person would, and clicks Join. */
async function join(participant: Participant, url: string): Promise<void> {
  const { page } = participant;
  await page.goto(url);
  await page.getByTestId('display-name').fill(participant.name);
  await page
    .waitForFunction(
      () => (document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]')?.videoWidth ?? 0) > 0,
      undefined,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  await page.getByTestId('join').click();
}

/** Waits until `participant` has decoded a frame from each of `from`; returns the first-frame times. */
async function firstFramesFrom(participant: Participant, from: string[]): Promise<{ joinClickAt: number; frames: number[] }> {
  await participant.page.waitForFunction(
    (names) => {
      const probe = (window as unknown as { __bench: Probe }).__bench;
      return names.every((name) => probe.firstFrames[name] !== undefined);
    },
    from,
    { timeout: CALL_TIMEOUT_MS, polling: 50 },
  );
  return participant.page.evaluate((names) => {
    const probe = (window as unknown as { __bench: Probe }).__bench;
    return { joinClickAt: probe.joinClickAt, frames: names.map((name) => probe.firstFrames[name]) };
  }, from);
}

interface Room {
  hostUrl: string;
  guestUrl: string;
}

async function createRoom(baseUrl: string): Promise<Room> {
  const response = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (response.status !== 201) throw new Error(`create room: HTTP ${response.status}`);
  return (await response.json()) as Room;
}

async function closeAll(participants: Participant[]): Promise<void> {
  await Promise.allSettled(participants.map((participant) => participant.context.close()));
}

/** Two people: from the second one's click on Join until both have a frame of the other. */
async function twoPersonCall(browser: Browser, baseUrl: string): Promise<number> {
  const room = await createRoom(baseUrl);
  const people = [await newParticipant(browser, 'Ann'), await newParticipant(browser, 'Ben')];
  try {
    await join(people[0], room.hostUrl);
    await people[0].page.getByTestId('local-video').waitFor({ state: 'attached', timeout: CALL_TIMEOUT_MS });
    await join(people[1], room.guestUrl);
    const [ann, ben] = await Promise.all([firstFramesFrom(people[0], ['Ben']), firstFramesFrom(people[1], ['Ann'])]);
    return Math.max(...ann.frames, ...ben.frames) - ben.joinClickAt;
  } finally {
    await closeAll(people);
  }
}

/** A fourth person joins a call of three: from their click until they have a frame from all three. */
async function fourthJoiner(browser: Browser, baseUrl: string): Promise<number> {
  const room = await createRoom(baseUrl);
  const names = ['Ann', 'Ben', 'Cai', 'Dee'];
  const people: Participant[] = [];
  try {
    for (const [index, name] of names.slice(0, 3).entries()) {
      const person = await newParticipant(browser, name);
      people.push(person);
      await join(person, index === 0 ? room.hostUrl : room.guestUrl);
      await person.page.getByTestId('local-video').waitFor({ state: 'attached', timeout: CALL_TIMEOUT_MS });
    }
    // The three are in a call with media flowing before the fourth arrives.
    await Promise.all(people.map((person) => firstFramesFrom(person, names.slice(0, 3).filter((name) => name !== person.name))));
    const fourth = await newParticipant(browser, 'Dee');
    people.push(fourth);
    await join(fourth, room.guestUrl);
    const dee = await firstFramesFrom(fourth, names.slice(0, 3));
    return Math.max(...dee.frames) - dee.joinClickAt;
  } finally {
    await closeAll(people);
  }
}

/**
 * The lower bound: two RTCPeerConnections in one page, each sending the
 * fake camera (as the app asks for it) and microphone, offer and answer and
 * candidates handed over directly. From createOffer until both remote
 * videos have shown a frame.
 */
async function lowerBound(browser: Browser, baseUrl: string): Promise<number> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  try {
    const page = await context.newPage();
    // Any page of the server: a secure context (localhost) where getUserMedia works.
    await page.goto(`${baseUrl}/health`);
    return await page.evaluate(async (camera) => {
      const media = () => navigator.mediaDevices.getUserMedia({ video: camera, audio: true });
      const streams = await Promise.all([media(), media()]);
      const connections = [new RTCPeerConnection(), new RTCPeerConnection()];
      const videos = connections.map(() => {
        const video = document.createElement('video');
        video.muted = true;
        video.autoplay = true;
        video.playsInline = true;
        document.body.append(video);
        return video;
      });
      const firstFrames = videos.map(
        (video) => new Promise<number>((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now()))),
      );
      const described = [false, false];
      const queued: RTCIceCandidate[][] = [[], []];
      connections.forEach((pc, index) => {
        const other = 1 - index;
        for (const track of streams[index].getTracks()) pc.addTrack(track, streams[index]);
        pc.ontrack = (event) => {
          if (videos[index].srcObject !== event.streams[0]) videos[index].srcObject = event.streams[0];
        };
        pc.onicecandidate = (event) => {
          if (!event.candidate) return;
          if (described[other]) void connections[other].addIceCandidate(event.candidate);
          else queued[other].push(event.candidate);
        };
      });
      const describe = async (index: number, description: RTCSessionDescriptionInit) => {
        await connections[index].setRemoteDescription(description);
        described[index] = true;
        for (const candidate of queued[index].splice(0)) await connections[index].addIceCandidate(candidate);
      };
      const started = performance.now();
      const offer = await connections[0].createOffer();
      await connections[0].setLocalDescription(offer);
      await describe(1, offer);
      const answer = await connections[1].createAnswer();
      await connections[1].setLocalDescription(answer);
      await describe(0, answer);
      const frames = await Promise.race([
        Promise.all(firstFrames),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no frame within 30 s')), 30_000)),
      ]);
      const elapsed = Math.max(...frames) - started;
      for (const pc of connections) pc.close();
      for (const stream of streams) for (const track of stream.getTracks()) track.stop();
      return elapsed;
    }, APP_CAMERA);
  } finally {
    await context.close();
  }
}

export interface FramesResult {
  runs: number;
  lowerBoundMs: number[];
  twoPersonMs: number[];
  fourthJoinerMs: number[];
  medians: { lowerBound: number; twoPerson: number; fourthJoiner: number };
  ratios: { twoPerson: number; fourthJoiner: number };
  failures: string[];
}

/** The three measurements in turn, `runs` times, so drifts in machine load hit all three alike. */
export async function runFramesBench(browser: Browser, baseUrl: string, runs: number, log: (line: string) => void): Promise<FramesResult> {
  const result: FramesResult = {
    runs,
    lowerBoundMs: [],
    twoPersonMs: [],
    fourthJoinerMs: [],
    medians: { lowerBound: Number.NaN, twoPerson: Number.NaN, fourthJoiner: Number.NaN },
    ratios: { twoPerson: Number.NaN, fourthJoiner: Number.NaN },
    failures: [],
  };
  // One unmeasured call first: the browser's first WebRTC session pays for loading codecs.
  await lowerBound(browser, baseUrl).catch(() => undefined);
  for (let run = 1; run <= runs; run += 1) {
    const measurements: Array<[keyof FramesResult & ('lowerBoundMs' | 'twoPersonMs' | 'fourthJoinerMs'), () => Promise<number>]> = [
      ['lowerBoundMs', () => lowerBound(browser, baseUrl)],
      ['twoPersonMs', () => twoPersonCall(browser, baseUrl)],
      ['fourthJoinerMs', () => fourthJoiner(browser, baseUrl)],
    ];
    const line: string[] = [];
    for (const [key, measure] of measurements) {
      try {
        const ms = await measure();
        result[key].push(ms);
        line.push(`${key.replace('Ms', '')} ${ms.toFixed(0)} ms`);
      } catch (error) {
        result.failures.push(`run ${run} ${key}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        line.push(`${key.replace('Ms', '')} FAILED`);
      }
    }
    log(`frames: run ${run}/${runs}: ${line.join(', ')}`);
  }
  result.medians = {
    lowerBound: median(result.lowerBoundMs),
    twoPerson: median(result.twoPersonMs),
    fourthJoiner: median(result.fourthJoinerMs),
  };
  result.ratios = {
    twoPerson: ratio(result.medians.twoPerson, result.medians.lowerBound),
    fourthJoiner: ratio(result.medians.fourthJoiner, result.medians.lowerBound),
  };
  return result;
}
