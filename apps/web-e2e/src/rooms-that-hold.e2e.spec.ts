import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type AppServer, startAppServer } from './support/app-server';
import { chromiumAvailable, launchBrowser, newParticipant } from './support/browser';
import { createMeeting, joinMeeting, waitForTiles } from './support/meeting';

const available = chromiumAvailable();
const describeInBrowser = available ? describe : describe.skip;

/**
 * Issue 13 in real Chromium: leaving is seen at once (a closed tab or a page
 * left does not wait out the resume grace), and a removal sticks for the
 * same browser.
 */
describeInBrowser('rooms that hold, in real Chromium', () => {
  let server: AppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function participant(): Promise<{ context: BrowserContext; page: Page }> {
    const made = await newParticipant(browser);
    contexts.push(made.context);
    return made;
  }

  /** A host and one guest in a call, each showing the other's tile. */
  async function twoInACall(): Promise<{ host: Page; guest: Page; guestContext: BrowserContext; guestUrl: string }> {
    const { page: host } = await participant();
    const { hostUrl, guestUrl } = await createMeeting(host, server.url);
    await joinMeeting(host, hostUrl, 'Host');
    const { page: guest, context: guestContext } = await participant();
    await joinMeeting(guest, guestUrl, 'Guest');
    await Promise.all([waitForTiles(host, 1), waitForTiles(guest, 1)]);
    return { host, guest, guestContext, guestUrl };
  }

  beforeAll(async () => {
    // The default grace, stated: a leave that waited for it would take 10 s, five times the bound below.
    server = await startAppServer({ RECONNECT_GRACE_MS: '10000' });
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('removes the tile of a guest who closes the tab from the host\'s screen within 2 s', async () => {
    const { host, guest } = await twoInACall();

    const started = Date.now();
    await guest.close();
    await waitForTiles(host, 0, 2000);
    expect(Date.now() - started).toBeLessThan(2500);
    await expect(host.getByTestId('participant-count').textContent()).resolves.toContain('1');
  });

  it('removes the tile of a guest who goes back to the home page within 2 s', async () => {
    const { page: host } = await participant();
    const { hostUrl, guestUrl } = await createMeeting(host, server.url);
    await joinMeeting(host, hostUrl, 'Host');
    // The guest enters through the home page, so Back stays inside the app (a route change, no pagehide).
    const { page: guest } = await participant();
    await guest.goto(server.url);
    await guest.getByTestId('join-code').fill(guestUrl.split('/r/')[1]);
    await guest.getByTestId('join-by-code').click();
    await guest.getByTestId('display-name').fill('Guest');
    await guest.getByTestId('join').click();
    await Promise.all([waitForTiles(host, 1), waitForTiles(guest, 1)]);

    const started = Date.now();
    await guest.goBack();
    await guest.getByTestId('join-code').waitFor();
    await waitForTiles(host, 0, 2000);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('refuses a removed guest\'s immediate rejoin from the same browser with the removed page', async () => {
    const { host, guest, guestUrl } = await twoInACall();

    await host.locator('[data-testid="participant-tile"][data-peer-name="Guest"]').getByTestId('remove-participant').click();
    await guest.getByTestId('removed').waitFor();
    await waitForTiles(host, 0, 5000);

    // Same context (same storage: the identity the server issued), the guest link again, at once.
    await guest.goto(guestUrl);
    await guest.getByTestId('display-name').fill('Guest again');
    await guest.getByTestId('join').click();
    // Whichever comes first: the removed page, or the call (the removal did not stick).
    await guest.getByTestId('removed').or(guest.getByTestId('local-video')).waitFor({ state: 'attached' });
    const outcome = (await guest.getByTestId('removed').count()) ? 'removed page' : 'back in the call';
    expect(outcome).toBe('removed page');
    await expect(guest.getByTestId('removed').textContent()).resolves.toContain('removed you');
    // And the host never saw them come back.
    expect(await host.locator('[data-testid="participant-tile"]').count()).toBe(0);
  });
});
