import type { Browser as ChromiumBrowser, BrowserContext, Page as ChromiumPage } from 'playwright-core';
import type { Browser as FirefoxBrowser, Page as FirefoxPage } from 'puppeteer-core';
import { type AppServer, startAppServer } from './support/app-server';
import { chromiumAvailable, launchBrowser, newParticipant } from './support/browser';
import {
  byTestId,
  clickInFirefox,
  firefoxScreenshot,
  joinMeetingInFirefox,
  newFirefoxParticipant,
} from './support/firefox';
import { describeIf, firefoxAvailable, launchFirefox } from '@mesh-meet/testing';
import { type AnyPage, type AudioFlow, audioFlow, chatTexts, createMeeting, framesByName, iceStates, inPage, joinMeeting, pollUntil, restartIceOf, tiles, waitForTiles } from '@mesh-meet/testing/meeting-ui';

const SUITE = 'mixed Chromium/Firefox meeting';
const available = chromiumAvailable() && firefoxAvailable(SUITE);

const HOST = 'Chromium Host';
const FOX = 'Firefox Guest';
const OTHER = 'Chromium Guest';

/** The ICE role (transport stats) of each open peer connection of the page, in creation order. */
async function iceRoles(): Promise<string[]> {
  const open = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter(
    (pc) => pc.connectionState !== 'closed',
  );
  return Promise.all(
    open.map(async (pc) => {
      let role = '';
      (await pc.getStats()).forEach((report: { type?: string; iceRole?: string }) => {
        if (report.type === 'transport' && report.iceRole) role = report.iceRole;
      });
      return role;
    }),
  );
}

/** Frames rendered from `name` on `page` over a second. */
async function framesFrom(page: AnyPage, name: string): Promise<number> {
  return (await inPage(page, framesByName, 1000))[name] ?? 0;
}

async function tileOf(page: AnyPage, name: string) {
  return (await inPage(page, tiles, undefined)).find((tile) => tile.name === name);
}

/** Waits until `page` renders frames from each of `names`; returns the last counts seen. */
async function framesFromEach(page: AnyPage, names: readonly string[], timeoutMs = 15_000): Promise<Record<string, number>> {
  return pollUntil(
    () => inPage(page, framesByName, 1000),
    (counts) => names.every((name) => (counts[name] ?? 0) > 3),
    timeoutMs,
  );
}

/**
 * One meeting for the whole file (three browsers on two cores are slow to
 * bring up): a Chromium host, a Firefox guest and a second Chromium guest.
 * Each test leaves the call as it found it; leaving is the last test.
 */
describeIf(available)(`a ${SUITE}: Chromium host, Firefox guest, Chromium guest`, () => {
  let server: AppServer;
  let chromium: ChromiumBrowser;
  let firefox: FirefoxBrowser;
  const contexts: BrowserContext[] = [];
  let host: ChromiumPage;
  let other: ChromiumPage;
  let fox: FirefoxPage;
  const everyone = (): Array<{ page: AnyPage; name: string }> => [
    { page: host, name: HOST },
    { page: fox, name: FOX },
    { page: other, name: OTHER },
  ];

  async function chromiumParticipant(): Promise<ChromiumPage> {
    const { context, page } = await newParticipant(chromium);
    contexts.push(context);
    return page;
  }

  beforeAll(async () => {
    server = await startAppServer();
    [chromium, firefox] = await Promise.all([launchBrowser(), launchFirefox({ 'intl.accept_languages': 'en-US' })]);
    host = await chromiumParticipant();
    const { hostUrl, guestUrl } = await createMeeting(host, server.url, 'Mixed browsers');
    await joinMeeting(host, hostUrl, HOST);
    fox = (await newFirefoxParticipant(firefox)).page;
    await joinMeetingInFirefox(fox, guestUrl, FOX);
    other = await chromiumParticipant();
    await joinMeeting(other, guestUrl, OTHER);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await firefox?.close();
    await chromium?.close();
    await server?.stop();
  });

  it('shows frames from both others on every page and plays their live, unmuted audio', async () => {
    for (const { page, name } of everyone()) {
      const others = everyone()
        .map((participant) => participant.name)
        .filter((candidate) => candidate !== name);
      const shown = await pollUntil(
        () => inPage(page, tiles, undefined),
        (list) => list.length === 2 && list.every((tile) => tile.health === 'connected'),
        20_000,
      );
      expect(shown.map((tile) => tile.name).sort()).toEqual([...others].sort());
      const frames = await framesFromEach(page, others);
      for (const from of others) expect(frames[from]).toBeGreaterThan(3);
      const live: AudioFlow = { remoteVideos: 2, audible: 2, connected: 2, withGrowingEnergy: 2 };
      expect(await pollUntil(() => inPage(page, audioFlow, 1200), (flow) => flow.withGrowingEnergy === 2, 15_000)).toEqual(live);
    }
  });

  it('shows the Firefox camera turned off and on to the Chromium pages, and its frames resume', async () => {
    await clickInFirefox(fox, 'toggle-camera');
    for (const page of [host, other]) {
      expect(await pollUntil(() => tileOf(page, FOX), (tile) => tile?.video === 'off', 10_000)).toMatchObject({ video: 'off' });
    }
    await clickInFirefox(fox, 'toggle-camera');
    for (const page of [host, other]) {
      expect(await pollUntil(() => tileOf(page, FOX), (tile) => tile?.video === 'on', 10_000)).toMatchObject({ video: 'on' });
      expect(await pollUntil(() => framesFrom(page, FOX), (frames) => frames > 3, 15_000)).toBeGreaterThan(3);
    }
  });

  it('shows a screen shared from Chromium in Firefox, and the camera again when sharing stops', async () => {
    await other.getByTestId('share-screen').click();
    expect(await pollUntil(() => tileOf(fox, OTHER), (tile) => tile?.screen === 'on', 10_000)).toMatchObject({ screen: 'on' });
    // Chromium's fake screen capture, not its fake camera, is what is sent.
    const sent = await other.evaluate(() =>
      (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
        .filter((pc) => pc.connectionState !== 'closed')
        .map((pc) => pc.getSenders().find((sender) => sender.track?.kind === 'video')?.track?.label ?? ''),
    );
    expect(sent).toHaveLength(2);
    for (const label of sent) expect(label).not.toMatch(/fake_device/);
    expect(await pollUntil(() => framesFrom(fox, OTHER), (frames) => frames > 3, 15_000)).toBeGreaterThan(3);

    await other.getByTestId('share-screen').click();
    expect(await pollUntil(() => tileOf(fox, OTHER), (tile) => tile?.screen === 'off', 10_000)).toMatchObject({
      screen: 'off',
      video: 'on',
    });
    expect(await pollUntil(() => framesFrom(fox, OTHER), (frames) => frames > 3, 15_000)).toBeGreaterThan(3);
  });

  it('delivers chat from Firefox to Chromium and back, in one order on every page', async () => {
    await clickInFirefox(fox, 'toggle-chat');
    await fox.locator(byTestId('chat-input')).setTimeout(10_000).fill('Hello from Firefox');
    await clickInFirefox(fox, 'chat-send');
    await host.getByTestId('toggle-chat').click();
    expect(await pollUntil(() => inPage(host, chatTexts, undefined), (texts) => texts.length === 1, 10_000)).toEqual([
      expect.stringContaining('Hello from Firefox'),
    ]);
    await host.getByTestId('chat-input').fill('Hello from Chromium');
    await host.getByTestId('chat-send').click();
    await other.getByTestId('toggle-chat').click();
    for (const { page } of everyone()) {
      expect(await pollUntil(() => inPage(page, chatTexts, undefined), (texts) => texts.length === 2, 10_000)).toEqual([
        expect.stringContaining('Hello from Firefox'),
        expect.stringContaining('Hello from Chromium'),
      ]);
    }
    // Close the panels again: the later tests look at the grid.
    await clickInFirefox(fox, 'toggle-chat');
    await host.getByTestId('toggle-chat').click();
    await other.getByTestId('toggle-chat').click();
  });

  /**
   * Starts an ICE restart with `start` and waits until `page`'s `index`-th
   * peer connection (the pair between `from` and `to`) has new ICE
   * credentials both ways and media flows again both ways.
   */
  async function restartIceAndResume(page: AnyPage, index: number, from: string, to: string, start: () => Promise<unknown>): Promise<void> {
    const before = await inPage(page, iceStates, undefined);
    await start();
    const after = await pollUntil(
      () => inPage(page, iceStates, undefined),
      (states) =>
        states[index]?.localUfrag !== before[index].localUfrag &&
        states[index]?.remoteUfrag !== before[index].remoteUfrag &&
        states[index]?.connectionState === 'connected' &&
        states[index]?.signalingState === 'stable',
      20_000,
    );
    expect(after[index].localUfrag).not.toBe(before[index].localUfrag);
    expect(after[index].remoteUfrag).not.toBe(before[index].remoteUfrag);
    expect(after[index]).toMatchObject({ connectionState: 'connected', signalingState: 'stable' });
    const pageOf = (name: string) => everyone().find((participant) => participant.name === name)?.page as AnyPage;
    expect(await pollUntil(() => framesFrom(pageOf(to), from), (frames) => frames > 3, 20_000)).toBeGreaterThan(3);
    expect(await pollUntil(() => framesFrom(pageOf(from), to), (frames) => frames > 3, 20_000)).toBeGreaterThan(3);
    for (const name of [from, to]) {
      expect(await pollUntil(() => inPage(pageOf(name), audioFlow, 1200), (flow) => flow.withGrowingEnergy === 2, 15_000)).toMatchObject({
        withGrowingEnergy: 2,
      });
    }
  }

  it('lets Firefox control ICE on both its pairs, even towards the host who was in the room first', async () => {
    // Firefox offers first on every pair (join's offersFirst): with a
    // Chromium controlling agent, an ICE restart stopped Chromium's video to
    // Firefox for good (see apps/web/src/app/call/ice-control.ts).
    expect(await inPage(fox, iceRoles, undefined)).toEqual(['controlling', 'controlling']);
    expect(await inPage(host, iceRoles, undefined)).toEqual(['controlled', 'controlling']);
  });

  it('restarts ICE from Firefox towards the Chromium guest, and media flows again both ways', async () => {
    // Firefox's second connection goes to the later Chromium guest.
    await restartIceAndResume(fox, 1, FOX, OTHER, async () => expect(await inPage(fox, restartIceOf, [1])).toBe(1));
  });

  it('recovers when the Chromium host starts the restart (its network changed): Firefox makes the offer, and media flows again both ways', async () => {
    // The app's own path, as on a phone: the browser comes back online, the
    // signaling connection is renewed and resumed, and each pair restarts ICE.
    // Toward Firefox the host must not make the restart offer (it would turn
    // Chromium into the controlling agent, and its video to Firefox stopped
    // about every other time): Firefox makes it, asked or on the resume.
    await restartIceAndResume(host, 0, HOST, FOX, () => host.evaluate(() => window.dispatchEvent(new Event('online'))));
    expect(await inPage(fox, iceRoles, undefined)).toEqual(['controlling', 'controlling']);
    expect(await inPage(host, iceRoles, undefined)).toEqual(['controlled', 'controlling']);
  });

  it('fits Firefox on a desktop and on a 390×844 phone (screenshots kept)', async () => {
    expect(Object.values(await framesFromEach(fox, [HOST, OTHER])).every((frames) => frames > 3)).toBe(true);
    await firefoxScreenshot(fox, 'firefox-room-desktop');
    await fox.setViewport({ width: 390, height: 844 });
    try {
      expect(Object.values(await framesFromEach(fox, [HOST, OTHER])).every((frames) => frames > 3)).toBe(true);
      const layout = await fox.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(layout.innerWidth).toBe(390);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      const leave = await fox.$(byTestId('leave'));
      const box = await leave?.boundingBox();
      expect(box).toBeTruthy();
      if (box) expect(box.y + box.height).toBeLessThanOrEqual(844);
      await firefoxScreenshot(fox, 'firefox-room-phone');
    } finally {
      await fox.setViewport({ width: 1280, height: 800 });
    }
  });

  it("removes the Firefox guest's tile from the Chromium pages within 2 seconds of leaving", async () => {
    const started = Date.now();
    await clickInFirefox(fox, 'leave');
    await Promise.all([waitForTiles(host, 1, 2000), waitForTiles(other, 1, 2000)]);
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await inPage(host, tiles, undefined)).map((tile) => tile.name)).toEqual([OTHER]);
    await fox.waitForSelector(byTestId('left'), { timeout: 5000 });
    expect(await inPage(fox, iceStates, undefined)).toEqual([]);
  });
});
