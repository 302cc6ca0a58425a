import { existsSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';

export const FIREFOX = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';

/**
 * Firefox's counterpart of CHROMIUM_ARGS: a fake camera and microphone that
 * need no permission prompt, and remote audio that may play without a click
 * (as after a real user's Join click).
 */
export const FIREFOX_PREFS: Readonly<Record<string, unknown>> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // 0: allow audible autoplay; blocking_policy 0: a play() without a gesture counts.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
};

/**
 * Whether Firefox is here. Under CI its absence is an error (`.ci/run`
 * installs firefox-esr), never a silent skip; elsewhere the suite is skipped
 * and says why.
 */
export function firefoxAvailable(suite: string): boolean {
  if (existsSync(FIREFOX)) return true;
  const reason = `${suite}: ${FIREFOX} missing (apt-get install -y firefox-esr, or set FIREFOX_PATH)`;
  if (process.env['CI']) throw new Error(`${reason}; CI must run this suite`);
  console.warn(`*** SKIPPED: ${reason} ***`);
  return false;
}

/** Where Firefox runs and listens, when not the defaults (the network lab starts it inside a namespace). */
export interface FirefoxLaunchOptions {
  /** A program that runs Firefox with the arguments it is given (default FIREFOX). */
  executablePath?: string;
  /** The remote-agent port on Firefox's loopback (default: any free one). */
  debuggingPort?: number;
  /** The profile directory (default: a temporary one puppeteer removes when Firefox closes). */
  userDataDir?: string;
}

/**
 * Debian's Firefox ESR, headless, driven over WebDriver BiDi by puppeteer-core.
 * puppeteer-core ships ES modules only, so it is loaded here on first use: a
 * suite that imports these helpers without launching Firefox never loads it
 * (jest needs --experimental-vm-modules to require an ES module).
 */
export async function launchFirefox(extraPrefs: Record<string, unknown> = {}, options: FirefoxLaunchOptions = {}): Promise<Browser> {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: options.executablePath ?? FIREFOX,
    debuggingPort: options.debuggingPort,
    userDataDir: options.userDataDir,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...extraPrefs },
    timeout: 30_000,
  });
}
