import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { recordPeerConnections } from './in-page';

export const byTestId = (testId: string): string => `[data-testid="${testId}"]`;

/**
 * A fresh Firefox user context (own storage: own identity and name) and page,
 * the counterpart of newParticipant for Chromium: every RTCPeerConnection the
 * page makes is recorded in window.__peerConnections, so tests can read
 * getStats() or restart ICE without a hook in the product.
 */
export async function newFirefoxParticipant(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  await page.evaluateOnNewDocument(recordPeerConnections);
  return { context, page };
}

/** Opens a meeting link in Firefox, types a name and joins; waits until the call is on screen. */
export async function joinMeetingInFirefox(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.locator(byTestId('display-name')).setTimeout(15_000).fill(name);
  await page.locator(byTestId('join')).setTimeout(15_000).click();
  await page.waitForSelector(byTestId('local-video'), { timeout: 20_000 });
}
