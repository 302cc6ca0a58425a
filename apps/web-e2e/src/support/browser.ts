import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve(__dirname, '../../../../test-output/web-e2e');

const FLAGS = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Remote audio plays without a click, as after a real user's Join click.
  '--autoplay-policy=no-user-gesture-required',
];

/** Whether Chromium is here; under CI its absence is an error, elsewhere a loud skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI']) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
  process.stderr.write(`\n*** SKIPPED: browser end-to-end tests need Chromium at ${CHROMIUM} (apt-get install chromium). ***\n\n`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/**
 * A fresh context (own storage: own identity and name) and page. Every
 * RTCPeerConnection and WebSocket the page makes is recorded
 * (window.__peerConnections, window.__webSockets), so tests can read getStats()
 * or cut the signaling connection without a hook in the product.
 */
export async function newParticipant(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; camera?: boolean; language?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.language ?? 'en-US',
    permissions: ['camera', 'microphone'],
  });
  await context.addInitScript(({ withoutCamera }) => {
    const Native = window.RTCPeerConnection;
    const created: RTCPeerConnection[] = [];
    (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = created;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        created.push(this);
      }
    } as typeof RTCPeerConnection;
    // WebSockets too, so a test can cut the signaling connection like a network change does.
    const NativeWebSocket = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { __webSockets: WebSocket[] }).__webSockets = sockets;
    window.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    } as typeof WebSocket;
    if (withoutCamera) {
      // A device with a microphone and no camera.
      const devices = navigator.mediaDevices;
      const getUserMedia = devices.getUserMedia.bind(devices);
      devices.getUserMedia = async (constraints) => {
        if (constraints?.video) throw new DOMException('Requested device not found', 'NotFoundError');
        return getUserMedia(constraints);
      };
      const enumerate = devices.enumerateDevices.bind(devices);
      devices.enumerateDevices = async () => (await enumerate()).filter((device) => device.kind !== 'videoinput');
    }
  }, { withoutCamera: options.camera === false });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
