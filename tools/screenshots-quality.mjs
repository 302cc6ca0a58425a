// `node tools/screenshots-quality.mjs`: the call-quality indicator and the
// host's meeting report, desktop and phone, into docs/screenshots/ (npm run
// build first). A three-person call in headless Chromium with fake devices
// runs until every link has a few stored samples, then the host opens the
// report. Kept apart from tools/screenshots.mjs so the other pictures are not
// retaken with it.
import { DESKTOP, PHONE, joinAs, openScreenshotSession, shot } from './screenshot-session.mjs';

const { base, participant, close } = await openScreenshotSession();
async function levelsShown(page) {
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="connection-quality"][data-level="good"], [data-testid="connection-quality"][data-level="fair"], [data-testid="connection-quality"][data-level="poor"]').length === 2,
    null,
    { timeout: 90_000 },
  );
}

try {
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

  // The indicator's box covers the tile and lets pointers through to it; its button takes the hover.
  await host.getByTestId('connection-quality').first().locator('button').hover();
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
  await close();
}
