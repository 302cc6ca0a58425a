import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { byTestId } from '@mesh-meet/testing/meeting-ui';
import { ARTIFACTS } from './browser';

export { byTestId, joinMeetingInFirefox, newFirefoxParticipant } from '@mesh-meet/testing/meeting-ui';

export async function clickInFirefox(page: Page, testId: string): Promise<void> {
  await page.locator(byTestId(testId)).setTimeout(10_000).click();
}

export async function firefoxScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: path as `${string}.png` });
  return path;
}
