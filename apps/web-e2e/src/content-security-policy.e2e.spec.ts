import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type AppServer, startAppServer } from './support/app-server';
import { chromiumAvailable, launchBrowser, newParticipant } from './support/browser';
import { createMeeting, joinMeeting, pollUntil, waitForFramesFromAll, waitForTiles } from '@mesh-meet/testing/meeting-ui';

const available = chromiumAvailable();
const describeInBrowser = available ? describe : describe.skip;

/** What a page saw of the policy: the CSP of each document it loaded, and every violation. */
interface PolicyLog {
  documentPolicies: string[];
  consoleViolations: string[];
}

/**
 * Records the Content-Security-Policy of every document the page loads and
 * every CSP complaint: `securitypolicyviolation` events (collected in the page
 * from before its first script) and console messages about refused content.
 */
async function watchPolicy(context: BrowserContext, page: Page): Promise<PolicyLog> {
  const log: PolicyLog = { documentPolicies: [], consoleViolations: [] };
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'document') {
      log.documentPolicies.push((await response.allHeaders())['content-security-policy'] ?? '(none)');
    }
  });
  page.on('console', (message) => {
    if (/content security policy|refused to/i.test(message.text())) log.consoleViolations.push(message.text());
  });
  return log;
}

function violationsIn(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

describeInBrowser('the built app under its Content-Security-Policy in real Chromium', () => {
  let server: AppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.stop();
  });

  async function participant(): Promise<{ page: Page; log: PolicyLog }> {
    const { context, page } = await newParticipant(browser);
    contexts.push(context);
    return { page, log: await watchPolicy(context, page) };
  }

  it('runs a whole call (join, video both ways, chat) without one CSP violation', async () => {
    const host = await participant();
    const guest = await participant();
    const { hostUrl, guestUrl } = await createMeeting(host.page, server.url, 'Under CSP');
    await joinMeeting(host.page, hostUrl, 'Host');
    await joinMeeting(guest.page, guestUrl, 'Guest');
    await Promise.all([waitForTiles(host.page, 1), waitForTiles(guest.page, 1)]);
    await Promise.all([waitForFramesFromAll(host.page), waitForFramesFromAll(guest.page)]);

    await guest.page.getByTestId('toggle-chat').click();
    await guest.page.getByTestId('chat-input').fill('hello under CSP');
    await guest.page.getByTestId('chat-send').click();
    await host.page.getByTestId('toggle-chat').click();
    expect(await pollUntil(() => host.page.getByTestId('chat-message').allTextContents(), (texts) => texts.length === 1)).toEqual([
      expect.stringContaining('hello under CSP'),
    ]);

    for (const { page, log } of [host, guest]) {
      // The policy was really there: every document came with it, strict on scripts.
      expect(log.documentPolicies.length).toBeGreaterThan(0);
      for (const policy of log.documentPolicies) expect(policy).toContain("script-src 'self';");
      expect(await violationsIn(page)).toEqual([]);
      expect(log.consoleViolations).toEqual([]);
    }
  });

  it('reports a violation when the page breaks the policy (the watch is live)', async () => {
    const { page, log } = await participant();
    await page.goto(server.url);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
    });
    expect(await pollUntil(() => violationsIn(page), (seen) => seen.length > 0)).toEqual([expect.stringContaining('script-src')]);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    expect(await pollUntil(() => log.consoleViolations, (seen) => seen.length > 0)).not.toEqual([]);
  });
});
