import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type AppServer, startAppServer } from './app-server';
import { launchBrowser, newParticipant } from './browser';
import { createMeeting, joinMeeting } from '@mesh-meet/testing/meeting-ui';

/**
 * The lifecycle of a browser spec file: one built server and one Chromium for
 * the file, a fresh context per participant, every context closed after each
 * test. Call it inside the file's `describe`.
 */
export function browserSuite() {
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const url = (): string => {
    if (!server) throw new Error('the server is not started yet');
    return server.url;
  };

  /** A new person and their browser context (closed after the test), for what a context can do (go offline). */
  async function participantContext(options: Parameters<typeof newParticipant>[1] = {}): Promise<{ context: BrowserContext; page: Page }> {
    if (!browser) throw new Error('the browser is not started yet');
    const opened = await newParticipant(browser, options);
    contexts.push(opened.context);
    return opened;
  }

  /** A new person; `before` runs in their pages before the app's own scripts (to take browser APIs away). */
  async function participant(options: Parameters<typeof newParticipant>[1] = {}, before?: () => void): Promise<Page> {
    const { page } = await participantContext(options);
    if (before) await page.addInitScript(before);
    return page;
  }

  /** A meeting created on the home page (with the access mode picked there), with its host already in the call. */
  async function hostedMeeting(name?: string, access?: 'open' | 'ask' | 'locked'): Promise<{ host: Page; guestUrl: string }> {
    const host = await participant();
    const { hostUrl, guestUrl } = await createMeeting(host, url(), name, access);
    await joinMeeting(host, hostUrl, 'Host');
    return { host, guestUrl };
  }

  return { url, participant, participantContext, hostedMeeting };
}
