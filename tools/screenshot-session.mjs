// What every screenshot script needs: the built server on a free port with a
// scratch data folder, headless Chromium with fake camera and microphone,
// participants, and pictures into docs/screenshots/. `close()` removes it all.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serverCommand } from './server-command.mjs';

export const OUT = 'docs/screenshots';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const LANDSCAPE = { width: 844, height: 390 };
const FLAGS = [
  '--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export async function openScreenshotSession() {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const base = `http://localhost:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'mesh-meet-shots-'));
  const server = spawn(process.execPath, serverCommand(), {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });
  const close = async () => {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForServer(base);
  } catch (error) {
    await close();
    throw error;
  }
  mkdirSync(OUT, { recursive: true });

  async function participant(viewport, locale) {
    const context = await browser.newContext({ viewport, locale, permissions: ['camera', 'microphone'] });
    context.setDefaultTimeout(90_000); // a loaded machine is slow, not wrong (pages it opens later too)
    return context.newPage();
  }
  return { base, browser, participant, close };
}

export async function shot(page, name, fullPage = false) {
  await page.waitForTimeout(800); // let video frames and fonts settle for the picture
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`wrote ${OUT}/${name}.png`);
}

export async function joinAs(page, url, name) {
  await page.goto(url);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
  await page.getByTestId('local-video').waitFor({ state: 'attached' });
}

async function waitForServer(base) {
  // A loaded machine takes a while to start the server (up to a minute).
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not start');
}
