import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  CHROMIUM,
  type Coturn,
  describeIf,
  haveBinaries,
  launchChromium,
  type ServerProcess,
  startCoturn,
  startServerProcess,
  stopAllChildren,
  TURNSERVER,
  WEB_DIR,
} from '@mesh-meet/testing';

/** The hooks this test drives the meeting UI by. */
const TEST_IDS = ['meeting-name', 'create-meeting', 'host-link', 'guest-link', 'display-name', 'join', 'participant-tile', 'remote-video'];

/** True when the built web app (index.html and its bundles) carries every hook. */
function uiBuilt(): boolean {
  const files = existsSync(WEB_DIR) ? readdirSync(WEB_DIR).filter((file) => /\.(html|js)$/.test(file)) : [];
  const text = files.map((file) => readFileSync(join(WEB_DIR, file), 'utf8')).join('\n');
  const missing = TEST_IDS.filter((id) => !text.includes(id));
  if (missing.length === 0) return true;
  const message = `the relay-through-the-UI suite needs the meeting UI in ${WEB_DIR} (missing test ids: ${missing.join(', ')}; run \`npx nx build web\`)`;
  if (process.env['CI']) throw new Error(message);
  process.stderr.write(`\n*** SKIPPED: ${message}. ***\n\n`);
  return false;
}

const available = haveBinaries('the relay-through-the-UI suite', [TURNSERVER, CHROMIUM]) && uiBuilt();

/** Records every RTCPeerConnection the app makes, with the configuration it passed. */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__relayTest = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) {
      super(config, ...rest);
      window.__relayTest.push({ pc: this, policy: config && config.iceTransportPolicy });
    }
  };
})();`;

interface Recorded {
  __relayTest: { pc: RTCPeerConnection; policy?: string }[];
}

/** For each connected peer connection of the page: the policy the app gave it and the selected pair's candidate types. */
function relayReport(page: Page) {
  return page.evaluate(async () => {
    const connected = (window as unknown as Recorded).__relayTest.filter(({ pc }) => pc.connectionState === 'connected');
    return Promise.all(
      connected.map(async ({ pc, policy }) => {
        const stats = await pc.getStats();
        let pairId: string | undefined;
        stats.forEach((report: { type: string; selectedCandidatePairId?: string }) => {
          if (report.type === 'transport' && report.selectedCandidatePairId) pairId = report.selectedCandidatePairId;
        });
        const pair = pairId ? stats.get(pairId) : undefined;
        return {
          policy,
          local: pair ? stats.get(pair.localCandidateId)?.candidateType : undefined,
          remote: pair ? stats.get(pair.remoteCandidateId)?.candidateType : undefined,
        };
      }),
    );
  });
}

describeIf(available)('a meeting in the real web UI with ICE_TRANSPORT_POLICY=relay goes through coturn', () => {
  const secret = randomBytes(24).toString('hex');
  let coturn: Coturn;
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function person(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    await context.addInitScript(RECORD_PEER_CONNECTIONS);
    return context.newPage();
  }

  beforeAll(async () => {
    coturn = await startCoturn({ secret, allowLoopbackPeers: true });
    server = await startServerProcess({ TURN_SECRET: secret, TURN_URLS: coturn.udpUrl, ICE_TRANSPORT_POLICY: 'relay' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await browser?.close();
    await stopAllChildren();
  });

  it('host and guest see each other’s video over relay candidates only', async () => {
    const host = await person();
    await host.goto(server.url);
    await host.getByTestId('meeting-name').fill('Relay through the UI');
    await host.getByTestId('create-meeting').click();
    const hostUrl = await host.getByTestId('host-link').getAttribute('href');
    const guestUrl = await host.getByTestId('guest-link').getAttribute('href');
    if (!hostUrl || !guestUrl) throw new Error('the home page showed no links');

    const guest = await person();
    for (const [page, url, name] of [
      [host, hostUrl, 'Hana'],
      [guest, guestUrl, 'Gil'],
    ] as const) {
      await page.goto(url);
      await page.getByTestId('display-name').fill(name);
      await page.getByTestId('join').click();
    }

    for (const [page, other] of [
      [host, 'Gil'],
      [guest, 'Hana'],
    ] as const) {
      const tile = page.locator(`[data-testid="participant-tile"][data-peer-name="${other}"]`);
      await tile.waitFor({ timeout: 20_000 });
      await page.waitForFunction(
        (name) => document.querySelector(`[data-testid="participant-tile"][data-peer-name="${name}"]`)?.getAttribute('data-video') === 'on',
        other,
        { timeout: 15_000 },
      );
      // Frames keep arriving in the remote <video> (requestVideoFrameCallback counts decoded, presented frames).
      await page.waitForFunction(
        (name) =>
          new Promise<boolean>((resolve) => {
            const video = document.querySelector<HTMLVideoElement>(
              `[data-testid="participant-tile"][data-peer-name="${name}"] [data-testid="remote-video"]`,
            );
            if (!video) return resolve(false);
            let frames = 0;
            const timer = setTimeout(() => resolve(false), 1500);
            const onFrame = () => {
              frames += 1;
              if (frames >= 5) {
                clearTimeout(timer);
                resolve(true);
              } else video.requestVideoFrameCallback(onFrame);
            };
            video.requestVideoFrameCallback(onFrame);
          }),
        other,
        { timeout: 20_000, polling: 250 },
      );
      const report = await relayReport(page);
      expect(report.length).toBeGreaterThan(0);
      for (const connection of report) expect(connection).toEqual({ policy: 'relay', local: 'relay', remote: 'relay' });
    }
    expect(coturn.output()).toMatch(/ALLOCATE processed, success/);
  });
});
