import { io } from 'socket.io-client';
import { chromiumAvailable, screenshot } from './support/browser';
import { createMeeting, framesFrom, joinMeeting, pollUntil, receivingAudio, waitForFramesFromAll, waitForTiles } from '@mesh-meet/testing/meeting-ui';
import { browserSuite } from './support/suite';

const available = chromiumAvailable();
const describeInBrowser = available ? describe : describe.skip;

describeInBrowser('a meeting in real Chromium with fake camera and microphone', () => {
  const { url, participant, participantContext, hostedMeeting } = browserSuite();

  it('connects a host and two guests with video playing and live, unmuted audio on every page', async () => {
    const host = await participant();
    const { hostUrl, guestUrl } = await createMeeting(host, url(), 'Three people');
    await screenshot(host, 'home-created');
    expect(guestUrl).toMatch(/\/r\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    await joinMeeting(host, hostUrl, 'Hana');
    // The host key leaves the address bar once stored.
    expect(host.url()).not.toContain('host=');

    const guests = [await participant(), await participant()];
    await joinMeeting(guests[0], guestUrl, 'Guest One');
    await joinMeeting(guests[1], guestUrl, 'Guest Two');

    for (const page of [host, ...guests]) {
      await waitForTiles(page, 2);
      await waitForFramesFromAll(page);
      await expect(page.getByTestId('participant-count').textContent()).resolves.toContain('3');
      expect(await pollUntil(() => receivingAudio(page), (value) => value === true, 15_000)).toBe(true);
    }
    const names = await host.locator('[data-testid="participant-tile"]').evaluateAll((tiles) =>
      tiles.map((tile) => tile.getAttribute('data-peer-name')).sort(),
    );
    expect(names).toEqual(['Guest One', 'Guest Two']);
    await screenshot(host, 'room-3-desktop');
  });

  it('shows a camera turned off and on to the others, and frames resume', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const guest = await participant();
    await joinMeeting(guest, guestUrl, 'Guest');
    await waitForTiles(host, 1);
    await waitForFramesFromAll(host);
    const tile = host.locator('[data-testid="participant-tile"][data-peer-name="Guest"]');

    await guest.getByTestId('toggle-camera').click();
    expect(await pollUntil(() => tile.getAttribute('data-video'), (value) => value === 'off', 10_000)).toBe('off');
    await guest.getByTestId('toggle-camera').click();
    expect(await pollUntil(() => tile.getAttribute('data-video'), (value) => value === 'on', 10_000)).toBe('on');
    expect(await pollUntil(() => framesFrom(host, 'Guest'), (value) => value > 3, 15_000)).toBeGreaterThan(3);
  });

  it('sends video to everyone when a guest who joined with the camera off turns it on', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const late = await participant();
    await late.goto(guestUrl);
    await late.getByTestId('lobby-toggle-camera').click();
    await late.getByTestId('display-name').fill('Camera Later');
    await late.getByTestId('join').click();
    const tile = host.locator('[data-testid="participant-tile"][data-peer-name="Camera Later"]');
    expect(await pollUntil(() => tile.getAttribute('data-video'), (value) => value === 'off', 15_000)).toBe('off');
    expect(await pollUntil(() => tile.getAttribute('data-health'), (value) => value === 'connected', 15_000)).toBe('connected');

    await late.getByTestId('toggle-camera').click();
    expect(await pollUntil(() => tile.getAttribute('data-video'), (value) => value === 'on', 10_000)).toBe('on');
    expect(await pollUntil(() => framesFrom(host, 'Camera Later'), (value) => value > 3, 15_000)).toBeGreaterThan(3);
  });

  it('lets someone without a camera join with audio and says why there is no video', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const noCamera = await participant({ camera: false });
    await noCamera.goto(guestUrl);
    await expect(noCamera.getByTestId('media-problem').textContent()).resolves.toContain('No camera');
    await noCamera.getByTestId('display-name').fill('Audio Only');
    await noCamera.getByTestId('join').click();
    const tile = host.locator('[data-testid="participant-tile"][data-peer-name="Audio Only"]');
    expect(await pollUntil(() => tile.getAttribute('data-audio'), (value) => value === 'on', 15_000)).toBe('on');
    expect(await tile.getAttribute('data-video')).toBe('off');
    expect(await pollUntil(() => receivingAudio(host), (value) => value === true, 15_000)).toBe(true);
  });

  it('shows a shared screen to everyone and puts the camera back when sharing stops', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const presenter = await participant();
    await joinMeeting(presenter, guestUrl, 'Presenter');
    await waitForTiles(host, 1);
    const tile = host.locator('[data-testid="participant-tile"][data-peer-name="Presenter"]');

    await presenter.getByTestId('share-screen').click();
    expect(await pollUntil(() => tile.getAttribute('data-screen'), (value) => value === 'on', 10_000)).toBe('on');
    // The media-state announcement can reach the host before replaceTrack has run: it waits behind
    // any negotiation still on the connection's operations chain. So wait for the sender's track.
    const sentVideoLabel = () =>
      presenter.evaluate(() => {
        const sender = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections[0]
          .getSenders()
          .find((candidate) => candidate.track?.kind === 'video');
        return sender?.track?.label ?? '';
      });
    const sharedTrack = await pollUntil(sentVideoLabel, (label) => label !== '' && !/fake_device/.test(label), 10_000);
    expect(sharedTrack).not.toMatch(/fake_device/);
    expect(await pollUntil(() => framesFrom(host, 'Presenter'), (value) => value > 3, 15_000)).toBeGreaterThan(3);

    // Stopping from the page (the browser's own stop button ends the track the same way).
    await presenter.evaluate(() => {
      const sender = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections[0]
        .getSenders()
        .find((candidate) => candidate.track?.kind === 'video');
      sender?.track?.stop();
      sender?.track?.dispatchEvent(new Event('ended'));
    });
    expect(await pollUntil(() => tile.getAttribute('data-screen'), (value) => value === 'off', 10_000)).toBe('off');
    expect(await tile.getAttribute('data-video')).toBe('on');
    expect(await pollUntil(() => framesFrom(host, 'Presenter'), (value) => value > 3, 15_000)).toBeGreaterThan(3);
  });

  it('delivers chat to everyone and shows markup as text', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const guest = await participant();
    await joinMeeting(guest, guestUrl, 'Guest');
    await waitForTiles(host, 1);

    const attack = '<img src=x onerror="window.__xss=1">';
    await guest.getByTestId('toggle-chat').click();
    await guest.getByTestId('chat-input').fill('hello everyone');
    await guest.getByTestId('chat-send').click();
    await guest.getByTestId('chat-input').fill(attack);
    await guest.getByTestId('chat-send').click();

    await host.getByTestId('toggle-chat').click();
    for (const page of [host, guest]) {
      expect(await pollUntil(() => page.getByTestId('chat-message').count(), (value) => value === 2, 10_000)).toBe(2);
      const texts = await page.getByTestId('chat-message').allTextContents();
      expect(texts[0]).toContain('hello everyone');
      expect(texts[1]).toContain(attack);
      expect(await page.locator('[data-testid="chat-message"] img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    }
  });

  it('lights up the tile of the person being heard, and not while their microphone is muted', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const guest = await participant();
    await joinMeeting(guest, guestUrl, 'Guest');
    await waitForFramesFromAll(guest);
    // Chromium's fake microphone beeps about once a second.
    const hostTile = guest.locator('[data-testid="participant-tile"][data-peer-name="Host"]');
    const lit = () => hostTile.evaluate((tile) => tile.classList.contains('speaking'));
    expect(await pollUntil(lit, (speaking) => speaking, 10_000)).toBe(true);

    await host.getByTestId('toggle-mic').click();
    await guest.locator('[data-testid="participant-tile"][data-peer-name="Host"][data-audio="off"]').waitFor();
    expect(await pollUntil(lit, (speaking) => !speaking, 5_000)).toBe(false);
    // Muted, it stays dark through a couple of beeps.
    expect(await pollUntil(lit, (speaking) => speaking, 2_500)).toBe(false);
  });

  it('removes a leaving guest\'s tile from the others within 2 seconds', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const stays = await participant();
    const leaves = await participant();
    await joinMeeting(stays, guestUrl, 'Stays');
    await joinMeeting(leaves, guestUrl, 'Leaves');
    await waitForTiles(host, 2);
    await waitForTiles(stays, 2);

    const started = Date.now();
    await leaves.getByTestId('leave').click();
    await leaves.getByTestId('left').waitFor();
    await Promise.all([waitForTiles(host, 1, 2000), waitForTiles(stays, 1, 2000)]);
    expect(Date.now() - started).toBeLessThan(2500);
    await expect(host.getByTestId('participant-count').textContent()).resolves.toContain('2');
    // Leaving stopped the camera and microphone of the one who left.
    const liveTracks = await leaves.evaluate(() =>
      (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter(
        (pc) => pc.connectionState !== 'closed',
      ).length,
    );
    expect(liveTracks).toBe(0);
  });

  it('tells the seventh person that the meeting is full', async () => {
    const host = await participant();
    const { guestUrl } = await createMeeting(host, url());
    const roomId = guestUrl.split('/r/')[1];
    // Six seats taken by lightweight signaling clients: a full mesh of six browsers is not needed to fill a room.
    const occupants = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        const socket = io(`${url()}/signaling`, { transports: ['websocket'], forceNew: true, reconnection: false });
        const ack = await socket.timeout(5000).emitWithAck('join', { roomId, name: `Seat ${index + 1}` });
        expect(ack.ok).toBe(true);
        return socket;
      }),
    );
    try {
      const seventh = await participant();
      await seventh.goto(guestUrl);
      await seventh.getByTestId('display-name').fill('Seventh');
      await seventh.getByTestId('join').click();
      await expect(seventh.getByTestId('error-message').textContent()).resolves.toMatch(/full/i);
    } finally {
      for (const socket of occupants) socket.disconnect();
    }
  });

  it('lets the host remove a guest, lock the room against a new guest, and end the meeting', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const removed = await participant();
    const stays = await participant();
    await joinMeeting(removed, guestUrl, 'To Remove');
    await joinMeeting(stays, guestUrl, 'Stays');
    await waitForTiles(host, 2);

    await host
      .locator('[data-testid="participant-tile"][data-peer-name="To Remove"]')
      .getByTestId('remove-participant')
      .click();
    await host.getByTestId('confirm-ok').click();
    await removed.getByTestId('removed').waitFor();
    await waitForTiles(host, 1, 5000);
    await waitForTiles(stays, 1, 5000);
    expect(await stays.getByTestId('remove-participant').count()).toBe(0);

    await host.getByTestId('lock-room').click();
    await stays.getByTestId('locked-badge').waitFor();
    const refused = await participant();
    await refused.goto(guestUrl);
    await refused.getByTestId('display-name').fill('Too Late');
    await refused.getByTestId('join').click();
    await expect(refused.getByTestId('error-message').textContent()).resolves.toMatch(/locked/i);

    await host.getByTestId('end-meeting').click();
    await host.getByTestId('confirm-ok').click();
    await stays.getByTestId('room-ended').waitFor();
    await host.getByTestId('room-ended').waitFor();
    const again = await participant();
    await again.goto(guestUrl);
    await expect(again.getByTestId('error-message').textContent()).resolves.toMatch(/ended/i);
  });

  it('keeps the call when the signaling connection drops and returns (a phone changing networks)', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const { context: phoneContext, page: phone } = await participantContext();
    await joinMeeting(phone, guestUrl, 'Phone');
    await waitForTiles(host, 1);
    await waitForFramesFromAll(host);
    const peerIdBefore = await host.getByTestId('participant-tile').getAttribute('data-peer-id');

    // The network goes away for the signaling connection (offline, and the open
    // WebSocket dropped); the direct media path between the two browsers stays up.
    await phoneContext.setOffline(true);
    await phone.evaluate(() => {
      for (const socket of (window as unknown as { __webSockets: WebSocket[] }).__webSockets) socket.close();
    });
    await phone.getByTestId('signaling-lost').waitFor({ timeout: 15_000 });
    await phoneContext.setOffline(false);
    await phone.getByTestId('signaling-lost').waitFor({ state: 'detached', timeout: 15_000 });

    // Same peer on the host's screen (resumed, not re-joined), and its video still flows.
    expect(await host.getByTestId('participant-tile').count()).toBe(1);
    expect(await host.getByTestId('participant-tile').getAttribute('data-peer-id')).toBe(peerIdBefore);
    expect(await pollUntil(() => framesFrom(host, 'Phone'), (value) => value > 3, 10_000)).toBeGreaterThan(3);
    // And signaling works again: a chat message gets through.
    await phone.getByTestId('toggle-chat').click();
    await phone.getByTestId('chat-input').fill('back online');
    await phone.getByTestId('chat-send').click();
    await host.getByTestId('toggle-chat').click();
    expect(await pollUntil(() => host.getByTestId('chat-message').count(), (value) => value === 1, 10_000)).toBe(1);
  });

  it('fits a phone (390×844): controls reachable, no horizontal scrolling', async () => {
    const phone = { width: 390, height: 844 };
    const { guestUrl } = await hostedMeeting('Phone check');
    const second = await participant();
    await joinMeeting(second, guestUrl, 'Laptop');
    const mobile = await participant({ viewport: phone, language: 'ja-JP' });

    await mobile.goto(url());
    await screenshot(mobile, 'home-phone');
    await mobile.goto(guestUrl);
    await mobile.getByTestId('display-name').fill('スマホ');
    await screenshot(mobile, 'lobby-phone');
    await mobile.getByTestId('join').click();
    await waitForTiles(mobile, 2);
    await waitForFramesFromAll(mobile);

    const layout = await mobile.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    for (const id of ['toggle-mic', 'toggle-camera', 'toggle-chat', 'leave']) {
      const box = await mobile.getByTestId(id).boundingBox();
      expect(box).not.toBeNull();
      if (!box) continue;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(phone.width);
      expect(box.y + box.height).toBeLessThanOrEqual(phone.height);
    }
    const path = await screenshot(mobile, 'room-3-phone');
    expect(path).toContain('room-3-phone.png');
    await mobile.getByTestId('toggle-chat').click();
    await screenshot(mobile, 'chat-phone');
  });
});
