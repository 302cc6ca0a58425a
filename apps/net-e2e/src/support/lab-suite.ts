import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Browser as FirefoxBrowser, Page as FirefoxPage } from 'puppeteer-core';
import { INTERNET_HOST, INTERNET_PEER_RANGE, NetLab, type NetworkKind, type Participant } from '@mesh-meet/net-lab';
import { CHROMIUM, type Coturn, FIREFOX, launchChromium, launchFirefox, type ServerProcess, startCoturn, startServerProcess, WEB_DIR } from '@mesh-meet/testing';
import { createMeeting, joinMeeting, newFirefoxParticipant, recordPeerConnections } from '@mesh-meet/testing/meeting-ui';

/** How browsers are told to reach coturn: UDP and TCP on 3478 (the production port, free in the lab's own namespace). */
export const TURN_URLS = [`turn:${INTERNET_HOST}:3478?transport=udp`, `turn:${INTERNET_HOST}:3478?transport=tcp`];
export const STUN_URL = `stun:${INTERNET_HOST}:3478`;

export interface Person {
  readonly network: Participant;
  readonly browser: Browser;
  readonly page: Page;
}

/** A person whose browser is Firefox (driven by puppeteer-core over WebDriver BiDi). */
export interface FirefoxPerson {
  readonly network: Participant;
  readonly browser: FirefoxBrowser;
  readonly page: FirefoxPage;
}

export interface LabServer extends ServerProcess {
  /** Whether it hands out TURN credentials (else STUN only). */
  readonly turn: boolean;
}

/**
 * The lifecycle of a lab spec file: one lab (cleaning what killed runs left),
 * coturn in its internet, servers started on first use (with TURN or
 * without), a Chromium per person in that person's namespace; browsers closed
 * after each test, and everything, namespaces included, removed after the
 * file (and on exit or a signal, by the lab itself).
 */
export function labSuite() {
  let lab: NetLab | undefined;
  let coturn: Coturn | undefined;
  const servers = new Map<boolean, Promise<LabServer>>();
  const browsers: (Browser | FirefoxBrowser)[] = [];
  const secret = randomBytes(24).toString('hex');

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'index.html'))) {
      throw new Error(`${WEB_DIR} is missing: run \`npx nx run-many -t build -p server web\` first`);
    }
    lab = NetLab.create();
    coturn = await startCoturn({
      secret,
      allowLoopbackPeers: false,
      tmpRoot: lab.files,
      netns: { enter: lab.enter(lab.internet), address: INTERNET_HOST, allowedPeerIp: INTERNET_PEER_RANGE },
    });
  });
  afterEach(async () => {
    await Promise.all(browsers.splice(0).map((browser) => browser.close()));
  });
  afterAll(async () => {
    await Promise.all(browsers.splice(0).map((browser) => browser.close()));
    for (const server of servers.values()) await (await server.catch(() => undefined))?.stop();
    await coturn?.stop();
    lab?.destroy();
  });

  function theLab(): NetLab {
    if (!lab) throw new Error('the lab is not built yet');
    return lab;
  }

  /** The app server with TURN (port 8080) or with STUN only (8081), both in the lab's internet. */
  function server(turn: boolean): Promise<LabServer> {
    let started = servers.get(turn);
    if (!started) {
      const env: Record<string, string> = {
        WEB_DIR,
        // In the lab's files, so a killed run's database goes with its namespaces.
        DATA_DIR: join(theLab().files, turn ? 'server-turn' : 'server-stun'),
        PORT: turn ? '8080' : '8081',
        JOIN_PER_MINUTE: '1000',
        ROOM_CREATE_PER_MINUTE: '1000',
        STUN_URLS: STUN_URL,
        ...(turn ? { TURN_URLS: TURN_URLS.join(','), TURN_SECRET: secret } : {}),
      };
      started = startServerProcess(env, {
        maxLifetimeMs: 15 * 60_000,
        netns: { enter: theLab().enter(theLab().internet), address: INTERNET_HOST },
      }).then((process) => ({ ...process, turn }));
      servers.set(turn, started);
    }
    return started;
  }

  /** A person on a network of `kind`, with Chromium (fake camera and microphone) running inside it. */
  async function person(kind: NetworkKind, label: string): Promise<Person> {
    const network = theLab().addParticipant(kind, label);
    const browser = await launchChromium(
      [
        // Remote audio plays without a click, as after a real user's Join click.
        '--autoplay-policy=no-user-gesture-required',
        // The app is served over plain HTTP on lab addresses: camera and microphone need a secure context.
        `--unsafely-treat-insecure-origin-as-secure=http://${INTERNET_HOST}:8080,http://${INTERNET_HOST}:8081`,
      ],
      theLab().wrapper(network, CHROMIUM),
    );
    browsers.push(browser);
    const context = await browser.newContext({ locale: 'en-US', permissions: ['camera', 'microphone'] });
    await context.addInitScript(recordPeerConnections);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return { network, browser, page };
  }

  /**
   * A person on a network of `kind` with Firefox (fake camera and microphone)
   * inside it. Firefox's remote agent listens on its own loopback in the
   * namespace; the lab bridges that port out to this process.
   */
  async function firefoxPerson(kind: NetworkKind, label: string): Promise<FirefoxPerson> {
    const network = theLab().addParticipant(kind, label);
    const agent = await theLab().bridgeLoopback(network);
    // In the lab's files, so a killed run's profile goes with its namespaces.
    const profile = join(theLab().files, `${label}-firefox-profile`);
    mkdirSync(profile);
    const browser = await launchFirefox(
      {
        'intl.accept_languages': 'en-US',
        // The app is served over plain HTTP on lab addresses: the counterpart of Chromium's insecure-origin
        // allowance (the lobby wants a secure context, getUserMedia the media prefs).
        'dom.securecontext.allowlist': INTERNET_HOST,
        'media.devices.insecure.enabled': true,
        'media.getusermedia.insecure.enabled': true,
      },
      {
        executablePath: theLab().wrapper(network, FIREFOX),
        debuggingPort: agent.port,
        userDataDir: profile,
      },
    );
    browsers.push(browser);
    const { page } = await newFirefoxParticipant(browser);
    page.on('dialog', (dialog) => void dialog.accept());
    return { network, browser, page };
  }

  /** A host on `hostKind` creates a meeting and a guest on `guestKind` joins it. */
  /** `guestJoining`: Date.now() as the guest started joining (for time-to-media figures). */
  async function call(
    hostKind: NetworkKind,
    guestKind: NetworkKind,
    options: { turn: boolean },
  ): Promise<{ host: Person; guest: Person; hostUrl: string; guestJoining: number }> {
    const [app, host, guest] = await Promise.all([server(options.turn), person(hostKind, 'host'), person(guestKind, 'guest')]);
    const { hostUrl, guestUrl } = await createMeeting(host.page, app.url, `Lab ${hostKind}-${guestKind}`);
    await joinMeeting(host.page, hostUrl, 'Host');
    const guestJoining = Date.now();
    await joinMeeting(guest.page, guestUrl, 'Guest');
    return { host, guest, hostUrl, guestJoining };
  }

  function turnServer(): Coturn {
    if (!coturn) throw new Error('coturn is not started yet');
    return coturn;
  }

  return { lab: theLab, server, person, firefoxPerson, call, coturn: turnServer };
}
