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
import { createRoom } from '@mesh-meet/testing';
import { median, ratio } from '../stats';

/** What the app asks for (apps/web local-media.service.ts), so the lower bound encodes the same picture. */
const APP_CAMERA = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

const CALL_TIMEOUT_MS = 30_000;

interface Probe {
  joinClickAt: number;
  /** When the signaling WebSocket opened. */
  socketOpenAt: number;
  /** When each peer connection first reached `connected`. */
  connectedAt: number[];
  firstFrames: Record<string, number>;
}

/**
 * Installed in every app page before its scripts run. Besides the two
 * times measured, it notes when the signaling socket opened and when each
 * peer connection connected (by wrapping the constructors, as the browser
 * tests do), to show where the time goes.
 */
function installProbe(): void {
  const probe: Probe = { joinClickAt: 0, socketOpenAt: 0, connectedAt: [], firstFrames: {} };
  (window as unknown as { __bench: Probe }).__bench = probe;
  const clock = () => performance.timeOrigin + performance.now();
  const NativeConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativeConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      let connected = false;
      this.addEventListener('connectionstatechange', () => {
        if (connected || this.connectionState !== 'connected') return;
        connected = true;
        probe.connectedAt.push(clock());
      });
    }
  } as typeof RTCPeerConnection;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('open', () => (probe.socketOpenAt ||= clock()));
    }
  } as typeof WebSocket;
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

interface Seen {
  joinClickAt: number;
  socketOpenAt: number;
  connectedAt: number[];
  frames: number[];
}

/** Where the time of one join went, in ms after the click. */
export interface Phases {
  /** The signaling WebSocket is open. */
  socket: number;
  /** Every peer connection of the joiner is connected (ICE and DTLS done). */
  connected: number;
  /** The last first frame. */
  frame: number;
}

function phasesOf(seen: Seen, frameAt: number): Phases {
  return {
    socket: seen.socketOpenAt - seen.joinClickAt,
    connected: Math.max(...seen.connectedAt) - seen.joinClickAt,
    frame: frameAt - seen.joinClickAt,
  };
}

/** Waits until `participant` has decoded a frame from each of `from`; returns the first-frame times. */
async function firstFramesFrom(participant: Participant, from: string[]): Promise<Seen> {
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
    return {
      joinClickAt: probe.joinClickAt,
      socketOpenAt: probe.socketOpenAt,
      connectedAt: probe.connectedAt,
      frames: names.map((name) => probe.firstFrames[name]),
    };
  }, from);
}

async function closeAll(participants: Participant[]): Promise<void> {
  await Promise.allSettled(participants.map((participant) => participant.context.close()));
}

/** Two people: from the second one's click on Join until both have a frame of the other. */
async function twoPersonCall(browser: Browser, baseUrl: string, phases: Phases[]): Promise<number> {
  const room = await createRoom(baseUrl, 'bench');
  const people = [await newParticipant(browser, 'Ann'), await newParticipant(browser, 'Ben')];
  try {
    await join(people[0], room.hostUrl);
    await people[0].page.getByTestId('local-video').waitFor({ state: 'attached', timeout: CALL_TIMEOUT_MS });
    await join(people[1], room.guestUrl);
    const [ann, ben] = await Promise.all([firstFramesFrom(people[0], ['Ben']), firstFramesFrom(people[1], ['Ann'])]);
    const last = Math.max(...ann.frames, ...ben.frames);
    phases.push(phasesOf(ben, last));
    return last - ben.joinClickAt;
  } finally {
    await closeAll(people);
  }
}

/** A fourth person joins a call of three: from their click until they have a frame from all three. */
async function fourthJoiner(browser: Browser, baseUrl: string, phases: Phases[]): Promise<number> {
  const room = await createRoom(baseUrl, 'bench');
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
    const last = Math.max(...dee.frames);
    phases.push(phasesOf(dee, last));
    return last - dee.joinClickAt;
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
async function lowerBound(browser: Browser, baseUrl: string, phases: Phases[] = []): Promise<number> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  try {
    const page = await context.newPage();
    // Any page of the server: a secure context (localhost) where getUserMedia works.
    await page.goto(`${baseUrl}/health`);
    const measured = await page.evaluate(async (camera) => {
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
      const connectedAt = [0, 0];
      const queued: RTCIceCandidate[][] = [[], []];
      connections.forEach((pc, index) => {
        const other = 1 - index;
        for (const track of streams[index].getTracks()) pc.addTrack(track, streams[index]);
        pc.ontrack = (event) => {
          if (videos[index].srcObject !== event.streams[0]) videos[index].srcObject = event.streams[0];
        };
        pc.onconnectionstatechange = () => {
          if (pc.connectionState === 'connected') connectedAt[index] ||= performance.now();
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
      return { elapsed, connected: Math.max(...connectedAt) - started };
    }, APP_CAMERA);
    phases.push({ socket: 0, connected: measured.connected, frame: measured.elapsed });
    return measured.elapsed;
  } finally {
    await context.close();
  }
}

/**
 * A second reference, not the lower bound: the same two connections
 * in two pages (two renderer processes, like two people), with offer, answer
 * and candidates passed between the pages by the bench (no server). It
 * separates what a second browser process costs on this machine from what
 * the app and its signaling add.
 */
async function twoPageBound(browser: Browser, baseUrl: string, phases: Phases[]): Promise<number> {
  const contexts = await Promise.all([0, 1].map(() => browser.newContext({ permissions: ['camera', 'microphone'] })));
  try {
    const pages = await Promise.all(contexts.map((context) => context.newPage()));
    for (const [index, page] of pages.entries()) {
      const other = pages[1 - index];
      await page.goto(`${baseUrl}/health`);
      await page.exposeFunction('__benchSend', (message: string) =>
        other.evaluate((text) => (window as unknown as { __benchReceive(text: string): void }).__benchReceive(text), message),
      );
    }
    const ready = pages.map((page, index) =>
      page.evaluate(
        async ({ camera, offerer }) => {
          const clock = () => performance.timeOrigin + performance.now();
          const bridge = window as unknown as { __benchSend(text: string): Promise<void>; __benchReceive(text: string): void };
          const stream = await navigator.mediaDevices.getUserMedia({ video: camera, audio: true });
          const pc = new RTCPeerConnection();
          for (const track of stream.getTracks()) pc.addTrack(track, stream);
          const video = document.createElement('video');
          video.muted = true;
          video.autoplay = true;
          document.body.append(video);
          const marks = window as unknown as { __benchFirst?: number; __benchConnected?: number };
          video.requestVideoFrameCallback(() => (marks.__benchFirst = clock()));
          pc.onconnectionstatechange = () => {
            if (pc.connectionState === 'connected') marks.__benchConnected ||= clock();
          };
          pc.ontrack = (event) => {
            if (video.srcObject !== event.streams[0]) video.srcObject = event.streams[0];
          };
          const queued: RTCIceCandidateInit[] = [];
          pc.onicecandidate = (event) => {
            if (event.candidate) void bridge.__benchSend(JSON.stringify({ candidate: event.candidate.toJSON() }));
          };
          bridge.__benchReceive = (text) => {
            const message = JSON.parse(text) as { description?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit };
            void (async () => {
              if (message.description) {
                await pc.setRemoteDescription(message.description);
                for (const candidate of queued.splice(0)) await pc.addIceCandidate(candidate);
                if (message.description.type === 'offer') {
                  await pc.setLocalDescription(await pc.createAnswer());
                  await bridge.__benchSend(JSON.stringify({ description: pc.localDescription?.toJSON() }));
                }
              } else if (message.candidate) {
                if (pc.remoteDescription) await pc.addIceCandidate(message.candidate);
                else queued.push(message.candidate);
              }
            })();
          };
          (window as unknown as { __benchStart?: () => Promise<number> }).__benchStart = async () => {
            const started = clock();
            await pc.setLocalDescription(await pc.createOffer());
            await bridge.__benchSend(JSON.stringify({ description: pc.localDescription?.toJSON() }));
            return started;
          };
          return offerer;
        },
        { camera: APP_CAMERA, offerer: index === 0 },
      ),
    );
    await Promise.all(ready);
    const started = await pages[0].evaluate(() => (window as unknown as { __benchStart(): Promise<number> }).__benchStart());
    const frames = await Promise.all(
      pages.map(async (page) => {
        await page.waitForFunction(() => (window as unknown as { __benchFirst?: number }).__benchFirst !== undefined, undefined, {
          timeout: CALL_TIMEOUT_MS,
          polling: 50,
        });
        return page.evaluate(() => {
          const marks = window as unknown as { __benchFirst: number; __benchConnected: number };
          return { __benchFirst: marks.__benchFirst, __benchConnected: marks.__benchConnected };
        });
      }),
    ).then((marks) => marks.map((mark) => ({ frame: mark.__benchFirst, connected: mark.__benchConnected })));
    const last = Math.max(...frames.map((mark) => mark.frame));
    phases.push({ socket: 0, connected: Math.max(...frames.map((mark) => mark.connected)) - started, frame: last - started });
    return last - started;
  } finally {
    await Promise.allSettled(contexts.map((context) => context.close()));
  }
}

export type FramesKey = 'lowerBound' | 'twoPages' | 'twoPerson' | 'fourthJoiner';

export interface FramesResult {
  runs: number;
  ms: Record<FramesKey, number[]>;
  /** Per run, where the time went. */
  phases: Record<FramesKey, Phases[]>;
  medians: Record<FramesKey, number>;
  /** Median over the lower bound's median. */
  ratios: Record<FramesKey, number>;
  failures: string[];
}

const KEYS: FramesKey[] = ['lowerBound', 'twoPages', 'twoPerson', 'fourthJoiner'];

/** The measurements in turn, `runs` times, so drifts in machine load hit all of them alike. */
export async function runFramesBench(browser: Browser, baseUrl: string, runs: number, log: (line: string) => void): Promise<FramesResult> {
  const perKey = <T>(make: () => T) => Object.fromEntries(KEYS.map((key) => [key, make()])) as Record<FramesKey, T>;
  const result: FramesResult = {
    runs,
    ms: perKey(() => []),
    phases: perKey(() => []),
    medians: perKey(() => Number.NaN),
    ratios: perKey(() => Number.NaN),
    failures: [],
  };
  const measure: Record<FramesKey, () => Promise<number>> = {
    lowerBound: () => lowerBound(browser, baseUrl, result.phases.lowerBound),
    twoPages: () => twoPageBound(browser, baseUrl, result.phases.twoPages),
    twoPerson: () => twoPersonCall(browser, baseUrl, result.phases.twoPerson),
    fourthJoiner: () => fourthJoiner(browser, baseUrl, result.phases.fourthJoiner),
  };
  // One unmeasured call first: the browser's first WebRTC session pays for loading codecs.
  await lowerBound(browser, baseUrl).catch(() => undefined);
  for (let run = 1; run <= runs; run += 1) {
    const line: string[] = [];
    for (const key of KEYS) {
      try {
        const ms = await measure[key]();
        result.ms[key].push(ms);
        line.push(`${key} ${ms.toFixed(0)} ms`);
      } catch (error) {
        result.failures.push(`run ${run} ${key}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        line.push(`${key} FAILED`);
      }
    }
    log(`frames: run ${run}/${runs}: ${line.join(', ')}`);
  }
  for (const key of KEYS) result.medians[key] = median(result.ms[key]);
  for (const key of KEYS) result.ratios[key] = ratio(result.medians[key], result.medians.lowerBound);
  return result;
}
