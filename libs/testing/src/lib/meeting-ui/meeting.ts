import { audioFlow } from './in-page';
import type { Page } from 'playwright-core';
import { waitFor } from '../wait-for';

/**
 * Creates a meeting from the home page, with the access mode picked there
 * (`open`, the default, `ask` or `locked`); returns the host and guest links shown there.
 */
export async function createMeeting(
  page: Page,
  baseUrl: string,
  name = 'E2E meeting',
  access?: 'open' | 'ask' | 'locked',
): Promise<{ hostUrl: string; guestUrl: string }> {
  await page.goto(baseUrl);
  await page.getByTestId('meeting-name').fill(name);
  if (access) await page.getByTestId('access-mode').selectOption(access);
  await page.getByTestId('create-meeting').click();
  const hostUrl = await page.getByTestId('host-link').getAttribute('href');
  const guestUrl = await page.getByTestId('guest-link').getAttribute('href');
  if (!hostUrl || !guestUrl) throw new Error('links not shown');
  return { hostUrl, guestUrl };
}

/** Opens a meeting link, types a name and joins; waits until the call is on screen. */
export async function joinMeeting(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
  await page.getByTestId('local-video').waitFor({ state: 'attached' });
}

/** Opens a meeting link and asks to join (an `ask` room); waits until the lobby says it waits for the host. */
export async function askToJoin(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
  await page.getByTestId('waiting-for-host').waitFor();
}

/** Waits until this page shows `count` remote tiles. */
export async function waitForTiles(page: Page, count: number, timeout = 20_000): Promise<void> {
  await page.waitForFunction((expected) => document.querySelectorAll('[data-testid="participant-tile"]').length === expected, count, {
    timeout,
  });
}

/** Resolves once every remote video on the page has decoded `frames` more frames (requestVideoFrameCallback). */
export async function waitForFramesFromAll(page: Page, frames = 5, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    async (needed) => {
      const videos = [...document.querySelectorAll<HTMLVideoElement>('[data-testid="remote-video"]')];
      if (videos.length === 0) return false;
      const counts = await Promise.all(
        videos.map(
          (video) =>
            new Promise<number>((resolve) => {
              let seen = 0;
              const deadline = setTimeout(() => resolve(seen), 1500);
              const onFrame = () => {
                seen += 1;
                if (seen >= needed) {
                  clearTimeout(deadline);
                  resolve(seen);
                } else video.requestVideoFrameCallback(onFrame);
              };
              video.requestVideoFrameCallback(onFrame);
            }),
        ),
      );
      return counts.every((count) => count >= needed);
    },
    frames,
    { timeout, polling: 250 },
  );
}

/** Frames decoded from one named participant's tile, counted over a short window. */
export async function framesFrom(page: Page, peerName: string, windowMs = 1500): Promise<number> {
  return page.evaluate(
    ({ name, ms }) =>
      new Promise<number>((resolve) => {
        const video = document.querySelector<HTMLVideoElement>(
          `[data-testid="participant-tile"][data-peer-name="${name}"] [data-testid="remote-video"]`,
        );
        if (!video) return resolve(0);
        let seen = 0;
        const onFrame = () => {
          seen += 1;
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
        setTimeout(() => resolve(seen), ms);
      }),
    { name: peerName, ms: windowMs },
  );
}

/**
 * Live, unmuted remote audio: every remote <video> is unmuted and playing,
 * and every peer connection's inbound audio carries energy that grows.
 */
export async function receivingAudio(page: Page): Promise<boolean> {
  const flow = await page.evaluate(audioFlow, 1200);
  return (
    flow.remoteVideos > 0 &&
    flow.audible === flow.remoteVideos &&
    flow.connected >= flow.remoteVideos &&
    flow.withGrowingEnergy === flow.connected
  );
}

/**
 * Polls `read` until `accept` says yes or the time is up, and returns the last
 * value (the caller's assertion then shows it). Waiting on state, not sleeping.
 */
export async function pollUntil<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  let value = await read();
  if (accept(value)) return value;
  await waitFor(async () => accept((value = await read())), { what: 'an accepted value', timeoutMs, intervalMs: 200 }).catch(
    () => undefined, // not an error here: the caller's assertion shows the last value
  );
  return value;
}
