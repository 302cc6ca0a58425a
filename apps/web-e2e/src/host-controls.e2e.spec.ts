import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser';
import { askToJoin, createMeeting, joinMeeting, waitForTiles } from '@mesh-meet/testing/meeting-ui';
import { browserSuite } from './support/suite';

const available = chromiumAvailable();
const describeInBrowser = available ? describe : describe.skip;

/** The host's row for one waiting guest. */
function request(host: Page, name: string) {
  return host.locator(`[data-testid="join-request"][data-name="${name}"]`);
}

/** One remote tile on a page, by the person's name. */
function tile(page: Page, name: string) {
  return page.locator(`[data-testid="participant-tile"][data-peer-name="${name}"]`);
}

/** Waits until `page` shows `name`'s microphone as on or off (the tile's data-audio). */
async function audioOf(page: Page, name: string, state: 'on' | 'off'): Promise<void> {
  await page.locator(`[data-testid="participant-tile"][data-peer-name="${name}"][data-audio="${state}"]`).waitFor({ timeout: 15_000 });
}

/** The data-testid of the focused element, and whether it is inside the dialog. */
function focus(page: Page): Promise<{ testId: string | null; insideDialog: boolean }> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return {
      testId: active?.getAttribute('data-testid') ?? null,
      insideDialog: Boolean(active?.closest('[data-testid="confirm-dialog"]')),
    };
  });
}

/** Issue 9 in real Chromium: the waiting room (ask to join), access modes, and mute requests. */
describeInBrowser('the host\'s controls in real Chromium: waiting room and mute', () => {
  const { url, participant, hostedMeeting } = browserSuite();

  it('ask to join: the guest waits with their preview, the host is told and admits, and the guest is in without another click', async () => {
    const { host, guestUrl } = await hostedMeeting('Asking', 'ask');
    const guest = await participant();
    await askToJoin(guest, guestUrl, 'Guest');
    await guest.getByTestId('preview-video').waitFor();
    await expect(guest.getByTestId('waiting-for-host').textContent()).resolves.toContain('Waiting for the host to let you in');
    // The host is here: not the "not here yet" line.
    expect(await guest.getByTestId('host-absent').count()).toBe(0);

    await request(host, 'Guest').waitFor();
    // Announced in the live region, and counted on the participants button.
    await host.locator('.notices', { hasText: 'Guest asks to join' }).waitFor();
    await expect(host.getByTestId('join-request-count').textContent()).resolves.toContain('1');
    // Still nobody in the call but the host.
    expect(await host.getByTestId('participant-tile').count()).toBe(0);

    await request(host, 'Guest').getByTestId('admit').click();
    await guest.getByTestId('local-video').waitFor({ state: 'attached' });
    await Promise.all([waitForTiles(host, 1), waitForTiles(guest, 1)]);
    expect(await host.getByTestId('join-request').count()).toBe(0);
  });

  it('deny by keyboard: Enter opens the app\'s dialog, Escape keeps the guest waiting, Enter on Deny turns them away', async () => {
    const { host, guestUrl } = await hostedMeeting('Asking', 'ask');
    const guest = await participant();
    await askToJoin(guest, guestUrl, 'Guest');
    await request(host, 'Guest').waitFor();

    await request(host, 'Guest').getByTestId('deny').focus();
    await host.keyboard.press('Enter');
    const dialog = host.getByRole('alertdialog', { name: 'Deny Guest?' });
    await dialog.waitFor();
    expect(await focus(host)).toEqual({ testId: 'confirm-cancel', insideDialog: true });
    await host.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Cancelled: the request is still there, focus is back on its Deny, and the guest still waits.
    expect((await focus(host)).testId).toBe('deny');
    expect(await request(host, 'Guest').count()).toBe(1);
    expect(await guest.getByTestId('waiting-for-host').count()).toBe(1);

    await host.keyboard.press('Enter');
    await dialog.waitFor();
    await host.keyboard.press('Tab');
    expect((await focus(host)).testId).toBe('confirm-ok');
    await expect(host.getByTestId('confirm-ok').textContent()).resolves.toContain('Deny');
    await host.keyboard.press('Enter');

    await guest.getByTestId('join-denied').waitFor();
    await expect(guest.getByTestId('join-denied').textContent()).resolves.toContain('The host did not let you in');
    await request(host, 'Guest').waitFor({ state: 'detached' });
    expect(await host.getByTestId('participant-tile').count()).toBe(0);
  });

  it('a guest who waits before the host arrives is told the host is not here yet; the host who joins later finds them waiting', async () => {
    const host = await participant({ language: 'ja-JP' });
    const { hostUrl, guestUrl } = await createMeeting(host, url(), '待機室', 'ask');
    const guest = await participant();
    await askToJoin(guest, guestUrl, 'Ken');
    await guest.getByTestId('host-absent').waitFor();
    await expect(guest.getByTestId('host-absent').textContent()).resolves.toContain('The host is not here yet');
    // Not an error: no alert, and the wait goes on.
    expect(await guest.getByTestId('error-message').count()).toBe(0);

    await joinMeeting(host, hostUrl, 'はな');
    await request(host, 'Ken').waitFor();
    await expect(request(host, 'Ken').getByTestId('admit').textContent()).resolves.toContain('承認');
    await guest.getByTestId('host-absent').waitFor({ state: 'detached' });

    await request(host, 'Ken').getByTestId('admit').click();
    await Promise.all([waitForTiles(host, 1), waitForTiles(guest, 1)]);
  });

  it('the host changes the access mode in the call: new guests wait, Admit all lets them in, locked turns the next away', async () => {
    const { host, guestUrl } = await hostedMeeting('Changing');
    await host.getByTestId('toggle-participants').click();
    const access = host.getByTestId('access-mode');
    expect(await access.inputValue()).toBe('open');
    await access.selectOption('ask');

    // Without cameras: four browsers on a shared machine.
    const first = await participant({ camera: false });
    const second = await participant({ camera: false });
    await askToJoin(first, guestUrl, 'First');
    await askToJoin(second, guestUrl, 'Second');
    // With the panel open, the list is at its top.
    await request(host, 'Second').waitFor();
    expect(await host.getByTestId('join-request').count()).toBe(2);
    await host.getByTestId('admit-all').click();
    await Promise.all([waitForTiles(host, 2), waitForTiles(first, 2), waitForTiles(second, 2)]);

    await access.selectOption('locked');
    await host.getByTestId('locked-badge').waitFor();
    // Everyone sees the meeting locked.
    await first.getByTestId('locked-badge').waitFor();
    const late = await participant({ camera: false });
    await late.goto(guestUrl);
    await late.getByTestId('display-name').fill('Late');
    await late.getByTestId('join').click();
    await expect(late.getByTestId('error-message').textContent()).resolves.toContain('locked');
    expect(await access.inputValue()).toBe('locked');
  }, 180_000); // four browsers on a shared machine

  it('mute by host: the guest\'s microphone goes off with who did it; everyone sees it; only the guest turns it back on', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const guest = await participant();
    await joinMeeting(guest, guestUrl, 'Guest');
    await Promise.all([waitForTiles(host, 1), waitForTiles(guest, 1)]);
    await audioOf(host, 'Guest', 'on');

    await tile(host, 'Guest').getByTestId('mute-participant').click();
    await guest.getByTestId('muted-by-host').waitFor();
    await expect(guest.getByTestId('muted-by-host').textContent()).resolves.toContain('Host muted you');
    await expect(guest.getByTestId('toggle-mic').getAttribute('aria-pressed')).resolves.toBe('false');
    await audioOf(host, 'Guest', 'off');
    // Nothing to mute now: the host's button says so.
    await expect(tile(host, 'Guest').getByTestId('mute-participant').isDisabled()).resolves.toBe(true);
    // The guest's outgoing microphone track is really off, not only the button.
    const sending = await guest.evaluate(() =>
      (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
        .flatMap((pc) => pc.getSenders())
        .some((sender) => sender.track?.kind === 'audio' && sender.track.enabled && sender.track.readyState === 'live'),
    );
    expect(sending).toBe(false);

    await guest.getByTestId('toggle-mic').click();
    await audioOf(host, 'Guest', 'on');
    await guest.getByTestId('muted-by-host').waitFor({ state: 'detached' });
  });

  it('mute all: every guest is muted, the host is not; one guest unmutes themselves and only they are heard again', async () => {
    const { host, guestUrl } = await hostedMeeting();
    // Microphones are what this is about: no cameras, so three browsers in one call stay light on a shared machine.
    const ken = await participant({ camera: false });
    const mia = await participant({ language: 'ja-JP', camera: false });
    await joinMeeting(ken, guestUrl, 'Ken');
    await joinMeeting(mia, guestUrl, 'Mia');
    await Promise.all([waitForTiles(host, 2), waitForTiles(ken, 2), waitForTiles(mia, 2)]);
    await Promise.all([audioOf(host, 'Ken', 'on'), audioOf(host, 'Mia', 'on')]);

    await host.getByTestId('toggle-participants').click();
    await host.getByTestId('mute-all').click();
    await ken.getByTestId('muted-by-host').waitFor();
    await mia.getByTestId('muted-by-host').waitFor();
    await expect(mia.getByTestId('muted-by-host').textContent()).resolves.toContain('Host さんがあなたをミュートしました');
    await Promise.all([audioOf(host, 'Ken', 'off'), audioOf(host, 'Mia', 'off'), audioOf(ken, 'Mia', 'off')]);
    // The host's own microphone stays on.
    await audioOf(ken, 'Host', 'on');
    await expect(host.getByTestId('toggle-mic').getAttribute('aria-pressed')).resolves.toBe('true');

    await ken.getByTestId('toggle-mic').click();
    await audioOf(host, 'Ken', 'on');
    await audioOf(mia, 'Ken', 'on');
    expect(await tile(host, 'Mia').getAttribute('data-audio')).toBe('off');
  }, 180_000); // three browsers in one call on a shared machine
});
