// `npm run screenshots`: the pages a person sees, desktop and phone, into
// docs/screenshots/. Starts the built server (npm run build first) and
// headless Chromium participants with fake camera and microphone (three in one meeting, and a
// Japanese host of a second one for the confirm dialog in Japanese).
import { DESKTOP, LANDSCAPE, PHONE, joinAs, openScreenshotSession, shot } from './screenshot-session.mjs';

const { base, participant, close } = await openScreenshotSession();

// `SCREENSHOTS=waiting-room npm run screenshots` makes only the waiting room's.
const ONLY = process.env.SCREENSHOTS;

try {
  if (ONLY !== 'waiting-room') await everything();
  // The waiting room (ask to join): the guest's lobby and the host's list, in English and Japanese, desktop and phone.
  await waitingRoom('en-US', { host: 'Hana', meeting: 'Design review', guests: ['Ken', 'Mia'] }, 'en');
  await waitingRoom('ja-JP', { host: 'はな', meeting: 'デザインレビュー', guests: ['けん', 'みお'] }, 'ja');
} finally {
  await close();
}

async function everything() {
  const host = await participant(DESKTOP, 'en-US');
  await host.goto(base);
  await shot(host, 'home-desktop');
  await host.getByTestId('meeting-name').fill('Weekly sync');
  await host.getByTestId('create-meeting').click();
  const hostUrl = await host.getByTestId('host-link').getAttribute('href');
  const guestUrl = await host.getByTestId('guest-link').getAttribute('href');
  await shot(host, 'home-created-desktop');

  const phone = await participant(PHONE, 'ja-JP');
  await phone.goto(base);
  await shot(phone, 'home-phone');

  await host.goto(hostUrl);
  await host.getByTestId('display-name').fill('Hana');
  await host.getByTestId('preview-video').waitFor();
  await shot(host, 'lobby-desktop');
  await host.getByTestId('join').click();

  const laptop = await participant(DESKTOP, 'en-US');
  await joinAs(laptop, guestUrl, "Ken");

  await phone.goto(guestUrl);
  await phone.getByTestId('display-name').fill('さくら');
  await shot(phone, 'lobby-phone');
  await phone.getByTestId('join').click();

  for (const page of [host, laptop, phone]) {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="participant-tile"][data-health="connected"]').length === 2, null, { timeout: 20000 });
  }
  await shot(host, 'room-3-desktop');
  await shot(phone, 'room-3-phone');
  await phone.setViewportSize(LANDSCAPE); // the same phone on its side
  await shot(phone, 'room-3-landscape');
  await phone.setViewportSize(PHONE);
  await laptop.getByTestId('toggle-chat').click();
  await laptop.getByTestId('chat-input').fill('Hi all, can you hear me?');
  await laptop.getByTestId('chat-send').click();
  await phone.getByTestId('toggle-chat').click();
  await phone.getByTestId('chat-message').waitFor();
  await shot(phone, 'chat-phone');
  await shot(laptop, 'chat-desktop');

  // Each pair's security code in the participants panel, in English and Japanese, desktop and phone.
  await host.getByTestId('toggle-participants').click();
  await securityCodes(host, 2);
  await shot(host, 'security-codes-en-desktop');
  await phone.getByTestId('toggle-participants').click();
  await securityCodes(phone, 2);
  await shot(phone, 'security-codes-ja-phone');
  await phone.setViewportSize(DESKTOP);
  await shot(phone, 'security-codes-ja-desktop');
  await phone.setViewportSize(PHONE);
  await host.setViewportSize(PHONE);
  await shot(host, 'security-codes-en-phone');

  // The host's confirm dialog (answered with Escape: the meeting goes on).
  await host.getByTestId('end-meeting').click();
  await shot(host, 'confirm-dialog-en-phone');
  await host.keyboard.press('Escape');
  await host.setViewportSize(DESKTOP);
  await host.locator('[data-testid="participant-tile"][data-peer-name="Ken"]').getByTestId('remove-participant').click();
  await shot(host, 'confirm-dialog-en-desktop');
  await host.keyboard.press('Escape');
  // A Japanese host of a meeting of their own, asked before ending it.
  const hostJa = await participant(DESKTOP, 'ja-JP');
  await hostJa.goto(base);
  await hostJa.getByTestId('meeting-name').fill('定例ミーティング');
  await hostJa.getByTestId('create-meeting').click();
  await joinAs(hostJa, await hostJa.getByTestId('host-link').getAttribute('href'), 'はな');
  await hostJa.getByTestId('end-meeting').click();
  await shot(hostJa, 'confirm-dialog-ja-desktop');
  await hostJa.setViewportSize(PHONE);
  await shot(hostJa, 'confirm-dialog-ja-phone');
  await hostJa.keyboard.press('Escape');
  for (const page of [host, laptop, phone, hostJa]) await page.context().close();
}

/** A meeting that asks: its host in the call (alone), two guests waiting; one lobby and the host's list, each desktop and phone. */
async function waitingRoom(locale, { host: hostName, meeting, guests }, language) {
  const host = await participant(DESKTOP, locale);
  await host.goto(base);
  await host.getByTestId('meeting-name').fill(meeting);
  await host.getByTestId('access-mode').selectOption('ask');
  await host.getByTestId('create-meeting').click();
  const hostLink = await host.getByTestId('host-link').getAttribute('href');
  const guestLink = await host.getByTestId('guest-link').getAttribute('href');
  await joinAs(host, hostLink, hostName);
  const waiting = [];
  for (const name of guests) {
    const guest = await participant(DESKTOP, locale);
    await guest.goto(guestLink);
    await guest.getByTestId('display-name').fill(name);
    await guest.getByTestId('join').click();
    await guest.getByTestId('waiting-for-host').waitFor();
    await guest.getByTestId('preview-video').waitFor();
    waiting.push(guest);
  }
  await host.waitForFunction((count) => document.querySelectorAll('[data-testid="join-request"]').length === count, guests.length);
  await shot(waiting[0], `waiting-lobby-${language}-desktop`);
  await waiting[0].setViewportSize(PHONE);
  await shot(waiting[0], `waiting-lobby-${language}-phone`);
  await shot(host, `join-requests-${language}-desktop`);
  await host.setViewportSize(PHONE);
  await shot(host, `join-requests-${language}-phone`);
  for (const page of [host, ...waiting]) await page.context().close();
}

async function securityCodes(page, count) {
  await page.waitForFunction(
    (expected) => [...document.querySelectorAll('[data-testid="security-code"]')].filter((code) => /^\d{5}( \d{5}){3}$/.test(code.textContent.trim())).length === expected,
    count,
    { timeout: 20000 },
  );
}
