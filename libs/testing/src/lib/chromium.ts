import type { Browser } from 'playwright-core';
import { CHROMIUM } from './binaries';

/** Debian's Chromium, headless, with a fake camera and microphone that need no permission prompt. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Loads playwright-core on first use: it takes about a second and 80 MB, which
 * processes that only use the other helpers (the bench's load generator) skip.
 */
export async function launchChromium(
  extraArgs: readonly string[] = [],
  /** Another executable that starts Chromium (the network lab's wrapper that enters a namespace). */
  executablePath = CHROMIUM,
): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs], timeout: 30_000 });
}
