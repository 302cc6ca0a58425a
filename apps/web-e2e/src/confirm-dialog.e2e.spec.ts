import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser';
import { createMeeting, joinMeeting, waitForTiles } from '@mesh-meet/testing/meeting-ui';
import { browserSuite } from './support/suite';

const available = chromiumAvailable();
const describeInBrowser = available ? describe : describe.skip;

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

describeInBrowser('the app\'s own confirm dialog in real Chromium, by keyboard', () => {
  const { url, participant, hostedMeeting } = browserSuite();

  it('asks a host who leaves others behind: announced as an alertdialog, Tab stays inside, Escape cancels, Enter on the confirm button leaves', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const guest = await participant();
    await joinMeeting(guest, guestUrl, 'Guest');
    await waitForTiles(host, 1);

    await host.getByTestId('leave').focus();
    await host.keyboard.press('Enter');
    // What a screen reader announces: the role, the name from the title, the description from the message.
    const dialog = host.getByRole('alertdialog', { name: 'Leave the meeting?' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('data-testid')).toBe('confirm-dialog');
    const description = await dialog.evaluate((box) => document.getElementById(box.getAttribute('aria-describedby') ?? '')?.textContent);
    expect(description).toMatch(/goes on without a host/);
    // Focus starts on the safe answer.
    expect(await focus(host)).toEqual({ testId: 'confirm-cancel', insideDialog: true });

    const visited: Array<string | null> = [];
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await host.keyboard.press(key);
      const now = await focus(host);
      expect(now.insideDialog).toBe(true);
      visited.push(now.testId);
    }
    expect(visited).toEqual(['confirm-ok', 'confirm-cancel', 'confirm-ok', 'confirm-cancel', 'confirm-ok', 'confirm-cancel']);

    await host.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Cancelled: still in the call, and focus is back on the button that asked.
    expect((await focus(host)).testId).toBe('leave');
    expect(await host.getByTestId('participant-tile').count()).toBe(1);

    await host.keyboard.press('Enter');
    await dialog.waitFor();
    await host.keyboard.press('Tab');
    expect((await focus(host)).testId).toBe('confirm-ok');
    await host.keyboard.press('Enter');
    await host.getByTestId('left').waitFor();
    await waitForTiles(guest, 0, 5000);
  });

  it('asks a Japanese host before removing someone, and lets a guest leave without a question', async () => {
    const host = await participant({ language: 'ja-JP' });
    const { hostUrl, guestUrl } = await createMeeting(host, url(), '定例');
    await joinMeeting(host, hostUrl, 'はな');
    const guest = await participant();
    await joinMeeting(guest, guestUrl, 'Ken');
    await waitForTiles(host, 1);

    await host.getByTestId('remove-participant').click();
    const dialog = host.getByRole('alertdialog', { name: 'Ken さんを会議から退出させますか?' });
    await dialog.waitFor();
    expect(await host.getByTestId('confirm-cancel').textContent()).toContain('キャンセル');
    expect(await host.getByTestId('confirm-ok').textContent()).toContain('退出させる');
    await host.getByTestId('confirm-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await host.getByTestId('participant-tile').count()).toBe(1);

    // A guest's Leave is not a question: nobody is left without a host because of it.
    await guest.getByTestId('leave').click();
    await guest.getByTestId('left').waitFor();
    expect(await guest.getByTestId('confirm-dialog').count()).toBe(0);
    await waitForTiles(host, 0, 5000);
  });
});
