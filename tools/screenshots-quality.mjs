// `node tools/screenshots-quality.mjs`: the call-quality indicator and the
// host's meeting report, desktop and phone, into docs/screenshots/ (npm run
// build first). A three-person call in headless Chromium with fake devices
// runs until every link has a few stored samples, then the host opens the
// report. Kept apart from tools/screenshots.mjs so the other pictures are not
// retaken with it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serverCommand } from './server-command.mjs';

const OUT = 'docs/screenshots';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const FLAGS = [
  '--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

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

async function participant(viewport, locale) {
  const context = await browser.newContext({ viewport, locale, permissions: ['camera', 'microphone'] });
  context.setDefaultTimeout(90_000);
  return context.newPage();
}
async function shot(page, name, fullPage = false) {
  await page.waitForTimeout(800); // let video frames and fonts settle for the picture
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`wrote ${OUT}/${name}.png`);
}
async function joinAs(page, url, name) {
  await page.goto(url);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
  await page.getByTestId('local-video').waitFor({ state: 'attached' });
}
async function levelsShown(page) {
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="connection-quality"][data-level="good"], [data-testid="connection-quality"][data-level="fair"], [data-testid="connection-quality"][data-level="poor"]').length === 2,
    null,
    { timeout: 90_000 },
  );
}

try {
  await waitForServer();
  mkdirSync(OUT, { recursive: true });
  const host = await participant(DESKTOP, 'en-US');
  await host.goto(base);
  await host.getByTestId('meeting-name').fill('Weekly sync');
  await host.getByTestId('create-meeting').click();
  const hostUrl = await host.getByTestId('host-link').getAttribute('href');
  const guestUrl = await host.getByTestId('guest-link').getAttribute('href');
  const roomId = new URL(guestUrl).pathname.split('/').pop();
  const hostKey = new URL(hostUrl).searchParams.get('host');
  await joinAs(host, hostUrl, 'Hana');
  const laptop = await participant(DESKTOP, 'en-US');
  await joinAs(laptop, guestUrl, 'Ken');
  const phone = await participant(PHONE, 'ja-JP');
  await joinAs(phone, guestUrl, 'さくら');
  for (const page of [host, laptop, phone]) await levelsShown(page);

  await host.getByTestId('connection-quality').first().hover();
  await shot(host, 'quality-details-desktop');
  await phone.getByTestId('connection-quality').first().locator('button').click();
  await shot(phone, 'quality-details-phone');

  // Two samples of every link (one every 10 s), so the charts draw lines.
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const response = await fetch(`${base}/api/rooms/${roomId}/report`, { headers: { authorization: `Bearer ${hostKey}` } });
    const report = await response.json();
    if (report.links?.length === 6 && report.links.every((link) => link.samples.length >= 2)) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await host.getByTestId('toggle-participants').click();
  const [reportPage] = await Promise.all([host.context().waitForEvent('page'), host.getByTestId('report-link').click()]);
  await reportPage.setViewportSize(DESKTOP);
  await reportPage.getByTestId('quality-chart').first().waitFor();
  await shot(reportPage, 'report-desktop', true);
  await reportPage.setViewportSize(PHONE);
  await shot(reportPage, 'report-phone', true);
  await reportPage.getByTestId('language-switch').click();
  await shot(reportPage, 'report-ja-phone', true);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

async function waitForServer() {
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
