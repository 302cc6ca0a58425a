import { chromiumAvailable, screenshot } from './support/browser';
import { framesFrom, joinMeeting, pollUntil, waitForFramesFromAll, waitForTiles } from '@mesh-meet/testing/meeting-ui';
import { browserSuite } from './support/suite';

const available = chromiumAvailable();
const describeInBrowser = available ? describe : describe.skip;

/**
 * Browsers that cannot call, and the phone traps that Chromium can stand in
 * for: the page's own APIs are taken away or replaced before the app loads
 * (no RTCPeerConnection, no getUserMedia, no getDisplayMedia, a `volume` that
 * does nothing, a recording wake lock), as the browsers that lack them would.
 * What only a real iPhone or Android phone shows is listed in docs/mobile.md.
 */
describeInBrowser('browsers that cannot call, and phones, in real Chromium', () => {
  const { participant, hostedMeeting } = browserSuite();

  it('tells a browser without RTCPeerConnection what is missing and what to use, and keeps Join disabled', async () => {
    const { guestUrl } = await hostedMeeting();
    const noWebRtc = await participant({}, () => {
      for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCSessionDescription', 'RTCIceCandidate']) {
        delete (window as unknown as Record<string, unknown>)[name];
      }
    });
    await noWebRtc.goto(guestUrl);
    const message = noWebRtc.getByTestId('unsupported-browser');
    await message.waitFor();
    expect(await message.getAttribute('data-missing')).toBe('webrtc');
    expect(await message.textContent()).toContain('no WebRTC');
    expect(await message.textContent()).toContain('Chrome, Edge, Firefox or Safari');
    await noWebRtc.getByTestId('display-name').fill('Old Browser');
    expect(await noWebRtc.getByTestId('join').isDisabled()).toBe(true);
    await screenshot(noWebRtc, 'lobby-unsupported');
  });

  it('sends a page opened over plain http to the https address, in Japanese for a Japanese browser', async () => {
    const { guestUrl } = await hostedMeeting();
    const insecure = await participant({ language: 'ja-JP' }, () => {
      Object.defineProperty(window, 'isSecureContext', { get: () => false });
    });
    await insecure.goto(guestUrl);
    const message = insecure.getByTestId('unsupported-browser');
    await message.waitFor();
    expect(await message.getAttribute('data-missing')).toBe('insecure');
    expect(await message.textContent()).toContain('https://');
    expect(await message.textContent()).toContain('http で開かれている');
    expect(await insecure.getByTestId('join').isDisabled()).toBe(true);
  });

  it('lets a browser that can receive but not capture join to watch and listen, with a note', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const watcher = await participant({}, () => {
      delete (MediaDevices.prototype as Partial<MediaDevices>).getUserMedia;
    });
    await watcher.goto(guestUrl);
    const message = watcher.getByTestId('unsupported-browser');
    await message.waitFor();
    expect(await message.getAttribute('data-missing')).toBe('capture');
    expect(await message.textContent()).toContain('watch and listen');
    await joinMeeting(watcher, guestUrl, 'Watcher');
    await waitForTiles(watcher, 1);
    await waitForFramesFromAll(watcher);
    const tile = host.locator('[data-testid="participant-tile"][data-peer-name="Watcher"]');
    expect(await pollUntil(() => tile.getAttribute('data-health'), (value) => value === 'connected', 15_000)).toBe('connected');
    expect([await tile.getAttribute('data-video'), await tile.getAttribute('data-audio')]).toEqual(['off', 'off']);
  });

  it('fits a phone on its side (844×390): every tile and every control on screen, nothing scrolls', async () => {
    const landscape = { width: 844, height: 390 };
    const { guestUrl } = await hostedMeeting();
    await joinMeeting(await participant(), guestUrl, 'Laptop');
    const phone = await participant({ viewport: landscape });
    await joinMeeting(phone, guestUrl, 'Phone');
    await waitForTiles(phone, 2);
    await waitForFramesFromAll(phone);

    const scroll = await phone.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight,
    }));
    expect(scroll).toEqual({ width: landscape.width, height: landscape.height });
    const controls = await phone.locator('nav.controls').boundingBox();
    expect(controls).not.toBeNull();
    if (!controls) return;
    expect(controls.y + controls.height).toBeLessThanOrEqual(landscape.height);
    for (const id of ['toggle-mic', 'toggle-camera', 'toggle-chat', 'toggle-participants', 'leave']) {
      const box = await phone.getByTestId(id).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= landscape.width && box.y >= controls.y).toBe(true);
    }
    // One row of three tiles (two rows would leave slivers), each large, all above the controls.
    const tiles = await phone.locator('.tile').evaluateAll((elements) =>
      elements.map((element) => {
        const { top, bottom, width, height } = element.getBoundingClientRect();
        return { top, bottom, width, height };
      }),
    );
    expect(tiles).toHaveLength(3);
    expect(new Set(tiles.map((tile) => Math.round(tile.top))).size).toBe(1);
    for (const tile of tiles) {
      expect(tile.bottom).toBeLessThanOrEqual(controls.y);
      expect(Math.min(tile.width, tile.height)).toBeGreaterThan(200);
    }
    await screenshot(phone, 'room-3-landscape');
  });

  it('keeps the self-view playing while sending, also under the chat panel on a phone (iOS sends black otherwise)', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const phone = await participant({ viewport: { width: 390, height: 844 } });
    await joinMeeting(phone, guestUrl, 'Phone');
    await phone.getByTestId('toggle-chat').click();
    const selfView = await phone.getByTestId('local-video').evaluate(
      (video: HTMLVideoElement) =>
        new Promise<{ display: string; paused: boolean; frames: number }>((resolve) => {
          let frames = 0;
          const onFrame = () => {
            frames += 1;
            video.requestVideoFrameCallback(onFrame);
          };
          video.requestVideoFrameCallback(onFrame);
          setTimeout(() => resolve({ display: getComputedStyle(video).display, paused: video.paused, frames }), 1500);
        }),
    );
    expect(selfView.display).not.toBe('none');
    expect(selfView.paused).toBe(false);
    expect(selfView.frames).toBeGreaterThan(3);
    expect(await pollUntil(() => framesFrom(host, 'Phone'), (value) => value > 3, 15_000)).toBeGreaterThan(3);
  });

  it('hides screen sharing where getDisplayMedia does not exist, and the volume slider where volume is ignored', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const phone = await participant({}, () => {
      delete (MediaDevices.prototype as Partial<MediaDevices>).getDisplayMedia;
      // As iOS: `volume` reads 1 whatever was set.
      Object.defineProperty(HTMLMediaElement.prototype, 'volume', { get: () => 1, set: () => undefined, configurable: true });
    });
    await joinMeeting(phone, guestUrl, 'Phone');
    await waitForTiles(phone, 1);
    expect(await phone.getByTestId('share-screen').count()).toBe(0);
    expect(await phone.getByTestId('peer-volume').count()).toBe(0);
    // The desktop browser has both.
    await waitForTiles(host, 1);
    expect(await host.getByTestId('share-screen').count()).toBe(1);
    expect(await host.getByTestId('peer-volume').count()).toBe(1);
  });

  it('holds a screen wake lock during the call, asks again when the page is visible again, and releases it on leave', async () => {
    const { guestUrl } = await hostedMeeting();
    const phone = await participant({}, () => {
      const log: string[] = [];
      (window as unknown as { __wakeLock: string[] }).__wakeLock = log;
      Object.defineProperty(navigator, 'wakeLock', {
        value: {
          request: async (type: string) => {
            log.push(`request ${type}`);
            const sentinel = {
              released: false,
              release: async () => {
                sentinel.released = true;
                log.push('release');
              },
            };
            (window as unknown as { __sentinel: typeof sentinel }).__sentinel = sentinel;
            return sentinel;
          },
        },
      });
    });
    const log = () => phone.evaluate(() => (window as unknown as { __wakeLock: string[] }).__wakeLock.join(','));
    await joinMeeting(phone, guestUrl, 'Phone');
    expect(await pollUntil(log, (value) => value === 'request screen')).toBe('request screen');
    // The browser drops the lock while the page is hidden; visible again, it is asked for again.
    await phone.evaluate(() => {
      (window as unknown as { __sentinel: { released: boolean } }).__sentinel.released = true;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(await pollUntil(log, (value) => value === 'request screen,request screen')).toBe('request screen,request screen');
    await phone.getByTestId('leave').click();
    expect(await pollUntil(log, (value) => value.endsWith('release'))).toBe('request screen,request screen,release');
  });

  it('switches to the other camera with the old one stopped first, and the others keep getting frames', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const phone = await participant({}, () => {
      // Chromium's fake device is one camera: list it twice, as a phone lists front and back.
      const devices = MediaDevices.prototype;
      const enumerate = devices.enumerateDevices;
      devices.enumerateDevices = async function (this: MediaDevices) {
        const back = { kind: 'videoinput', deviceId: 'back-camera', groupId: 'back', label: 'Back camera' } as MediaDeviceInfo;
        return [...(await enumerate.call(this)), back];
      };
      const getUserMedia = devices.getUserMedia;
      const live: MediaStreamTrack[] = [];
      (window as unknown as { __liveVideoAtRequest: number[] }).__liveVideoAtRequest = [];
      devices.getUserMedia = async function (this: MediaDevices, constraints?: MediaStreamConstraints) {
        const video = constraints?.video;
        if (video && typeof video === 'object') {
          // Record how many cameras were still running when a camera was asked for (iOS ends one otherwise).
          (window as unknown as { __liveVideoAtRequest: number[] }).__liveVideoAtRequest.push(
            live.filter((track) => track.readyState === 'live').length,
          );
          // The one fake camera serves as both.
          delete video.deviceId;
          delete video.facingMode;
        }
        const stream = await getUserMedia.call(this, constraints);
        live.push(...stream.getVideoTracks());
        return stream;
      };
    });
    await joinMeeting(phone, guestUrl, 'Phone');
    await waitForTiles(host, 1);
    await waitForFramesFromAll(host);
    const firstTrack = await phone.getByTestId('local-video').evaluate((video: HTMLVideoElement) => (video.srcObject as MediaStream).getVideoTracks()[0].id);

    await phone.getByTestId('switch-camera').click();
    const after = await pollUntil(
      () =>
        phone.getByTestId('local-video').evaluate((video: HTMLVideoElement) => {
          const track = (video.srcObject as MediaStream | null)?.getVideoTracks()[0];
          return { id: track?.id, state: track?.readyState };
        }),
      (value) => value.id !== undefined && value.id !== firstTrack && value.state === 'live',
    );
    expect(after.id).not.toBe(firstTrack);
    expect(await phone.evaluate(() => (window as unknown as { __liveVideoAtRequest: number[] }).__liveVideoAtRequest)).toEqual([0, 0]);
    // The new track went onto the existing sender (replaceTrack): the host's picture goes on.
    const sent = await phone.evaluate(() =>
      (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.map(
        (pc) => pc.getSenders().find((sender) => sender.track?.kind === 'video')?.track?.id,
      ),
    );
    expect(sent).toEqual([after.id]);
    expect(await pollUntil(() => framesFrom(host, 'Phone'), (value) => value > 3, 15_000)).toBeGreaterThan(3);
  });

  it('shows a camera the system ended as off to the others, and captures it again when the page is visible again', async () => {
    const { host, guestUrl } = await hostedMeeting();
    const phone = await participant();
    await joinMeeting(phone, guestUrl, 'Phone');
    const tile = host.locator('[data-testid="participant-tile"][data-peer-name="Phone"]');
    expect(await pollUntil(() => framesFrom(host, 'Phone'), (value) => value > 3, 15_000)).toBeGreaterThan(3);

    // What the system does when another app takes the camera: the track ends (stop() fires no `ended`).
    await phone.getByTestId('local-video').evaluate((video: HTMLVideoElement) => {
      const track = (video.srcObject as MediaStream).getVideoTracks()[0];
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    expect(await pollUntil(() => tile.getAttribute('data-video'), (value) => value === 'off')).toBe('off');

    await phone.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(await pollUntil(() => tile.getAttribute('data-video'), (value) => value === 'on')).toBe('on');
    expect(await pollUntil(() => framesFrom(host, 'Phone'), (value) => value > 3, 15_000)).toBeGreaterThan(3);
  });
});
