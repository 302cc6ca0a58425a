import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser';
import { joinMeeting, waitForTiles } from '@mesh-meet/testing/meeting-ui';
import { browserSuite } from './support/suite';

const available = chromiumAvailable();
const describeInBrowser = available ? describe : describe.skip;

const CODE = /^\d{5} \d{5} \d{5} \d{5}$/;

/** Opens the participants panel and reads the security code shown for each remote person, by name. */
async function codesOn(page: Page, people: number): Promise<Record<string, string>> {
  if ((await page.getByTestId('security-code').count()) === 0) await page.getByTestId('toggle-participants').click();
  await page.waitForFunction(
    ({ expected, pattern }) => {
      const codes = [...document.querySelectorAll('[data-testid="security-code"]')];
      return codes.length === expected && codes.every((code) => new RegExp(pattern).test(code.textContent?.trim() ?? ''));
    },
    { expected: people, pattern: CODE.source },
    { timeout: 20_000 },
  );
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-testid="security-code"]')].map((code) => [
        code.dataset['peerName'] ?? '',
        code.textContent?.trim() ?? '',
      ]),
    ),
  );
}

/**
 * Test-only init script: the page reads every remote description with one
 * hex pair of its `a=fingerprint:` changed. That is what the app would read
 * if a server in the middle had swapped in its own certificate. The
 * connection itself is untouched (the browser still checks the real
 * certificate, so the call connects): only the app's reading is tampered
 * with. Defined on whichever RTCPeerConnection the page has, subclass or not.
 */
function tamperWithRemoteFingerprints(): void {
  let owner: object | null = RTCPeerConnection.prototype;
  let real: PropertyDescriptor | undefined;
  while (owner && !(real = Object.getOwnPropertyDescriptor(owner, 'currentRemoteDescription'))) owner = Object.getPrototypeOf(owner);
  Object.defineProperty(RTCPeerConnection.prototype, 'currentRemoteDescription', {
    configurable: true,
    get(this: RTCPeerConnection) {
      const description = real?.get?.call(this) as RTCSessionDescription | null;
      if (!description) return description;
      const sdp = description.sdp.replace(/^(a=fingerprint:\S+ )([0-9A-F]{2})/gim, (_, head: string, pair: string) => head + (pair === '00' ? '01' : '00'));
      return { type: description.type, sdp };
    },
  });
}

describeInBrowser('security codes in real Chromium', () => {
  const { participant, hostedMeeting } = browserSuite();

  it('shows every pair of a three-person call the same code on both pages, and each pair its own', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const pages: Record<string, Page> = { Host: host };
    for (const name of ['Guest One', 'Guest Two']) {
      pages[name] = await participant();
      await joinMeeting(pages[name], guestUrl, name);
    }
    // What each person's page shows for each other person.
    const seenBy: Record<string, Record<string, string>> = {};
    for (const [name, page] of Object.entries(pages)) {
      await waitForTiles(page, 2);
      seenBy[name] = await codesOn(page, 2);
    }
    const pairs = [
      ['Host', 'Guest One'],
      ['Host', 'Guest Two'],
      ['Guest One', 'Guest Two'],
    ] as const;
    for (const [a, b] of pairs) {
      expect(seenBy[a][b]).toMatch(CODE);
      expect({ pair: `${a} & ${b}`, code: seenBy[b][a] }).toEqual({ pair: `${a} & ${b}`, code: seenBy[a][b] });
    }
    expect(new Set(pairs.map(([a, b]) => seenBy[a][b])).size).toBe(3);
    // The sentence that says what the codes are for sits beside them.
    await expect(host.locator('.code-help').textContent()).resolves.toMatch(/same numbers/);
  });

  it('shows different codes on the two pages when one side reads a swapped fingerprint', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const fooled = await participant({}, tamperWithRemoteFingerprints);
    await joinMeeting(fooled, guestUrl, 'Fooled');
    await waitForTiles(host, 1);
    await waitForTiles(fooled, 1);

    const hostSees = (await codesOn(host, 1))['Fooled'];
    const fooledSees = (await codesOn(fooled, 1))['Host'];
    expect(hostSees).toMatch(CODE);
    expect(fooledSees).toMatch(CODE);
    expect(fooledSees).not.toBe(hostSees);
  });
});
