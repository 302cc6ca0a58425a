import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, haveBinaries, launchChromium, repoPath } from '@mesh-meet/testing';
import { recordPeerConnections } from '@mesh-meet/testing/meeting-ui';

export const ARTIFACTS = repoPath('test-output/web-e2e');

/** Whether Chromium is here; under CI its absence is an error, elsewhere a loud skip. */
export function chromiumAvailable(): boolean {
  return haveBinaries('browser end-to-end tests', [CHROMIUM]);
}

export async function launchBrowser(): Promise<Browser> {
  // Remote audio plays without a click, as after a real user's Join click.
  return launchChromium(['--autoplay-policy=no-user-gesture-required']);
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
  await context.addInitScript(recordPeerConnections);
  await context.addInitScript(({ withoutCamera }) => {
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
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
