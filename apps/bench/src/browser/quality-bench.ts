/**
 * Section "quality": what the call-quality indicator costs the main thread
 * (apps/web call/quality: one getStats() per peer connection every 2 s, the
 * reduction, the tiles' re-render). A six-person call in headless Chromium
 * with the real app, measured twice in the same run: as shipped, and with
 * RTCPeerConnection.prototype.getStats taken away in every page (an init
 * script: its promise never settles, so the monitor's first round never ends
 * and no later one starts; the app's speaker detection reads
 * RTCRtpReceiver.getStats and is untouched). Nothing in the product changes
 * for the bench.
 *
 * Main-thread time is Chromium's own account (CDP Performance.getMetrics,
 * TaskDuration: seconds the renderer's main thread ran tasks), read at the
 * start and the end of a window in each of the six pages, as ms per second.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { createRoom } from '@mesh-meet/testing';
import { median } from '../stats';
import { type Participant, newParticipant } from './frames-bench';

const NAMES = ['Ann', 'Ben', 'Cai', 'Dee', 'Eve', 'Fay'];
const CALL_TIMEOUT_MS = 60_000;

export type QualityMode = 'with' | 'without';

export interface QualityResult {
  windowSeconds: number;
  /** Main-thread ms per second of each of the six pages, per mode. */
  msPerSecond: Record<QualityMode, number[]>;
  medians: Record<QualityMode, number>;
  /** getStats() calls per page per second in the window (the 'with' run; 5 connections every 2 s is 2.5). */
  getStatsPerSecond: number;
  failures: string[];
}

/** Test-only init script for the 'without' run: getStats on a peer connection never answers. */
function withoutConnectionStats(): void {
  RTCPeerConnection.prototype.getStats = () => new Promise<RTCStatsReport>(() => undefined);
}

/** Counts getStats() calls on peer connections (the 'with' run), to show the sampler's pace. */
function countConnectionStats(): void {
  const native = RTCPeerConnection.prototype.getStats;
  const counter = { calls: 0 };
  (window as unknown as { __statsCalls: typeof counter }).__statsCalls = counter;
  RTCPeerConnection.prototype.getStats = function (this: RTCPeerConnection, ...args: Parameters<typeof native>) {
    counter.calls += 1;
    return native.apply(this, args);
  } as typeof native;
}

/**
 * One CDP session per page, enabled once: each `Performance.enable` in a new
 * session starts its own TaskDuration count, so reading before and after
 * through two sessions gave negative differences.
 */
const performanceSessions = new WeakMap<Page, Promise<CDPSession>>();

async function taskSeconds(page: Page): Promise<number> {
  let session = performanceSessions.get(page);
  if (!session) {
    session = page
      .context()
      .newCDPSession(page)
      .then(async (opened) => {
        await opened.send('Performance.enable');
        return opened;
      });
    performanceSessions.set(page, session);
  }
  const { metrics } = await (await session).send('Performance.getMetrics');
  return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
}

async function sixPersonCall(browser: Browser, baseUrl: string, mode: QualityMode, windowMs: number) {
  const room = await createRoom(baseUrl, 'bench quality');
  const people: Participant[] = [];
  try {
    for (const [index, name] of NAMES.entries()) {
      const person = await newParticipant(browser, name);
      // Six pages load one after another on a shared machine: a slow load is not the thing measured here.
      person.page.setDefaultTimeout(CALL_TIMEOUT_MS);
      await person.context.addInitScript(mode === 'with' ? countConnectionStats : withoutConnectionStats);
      people.push(person);
      await person.page.goto(index === 0 ? room.hostUrl : room.guestUrl);
      await person.page.getByTestId('display-name').fill(name);
      await person.page.getByTestId('join').click();
      await person.page.getByTestId('local-video').waitFor({ state: 'attached', timeout: CALL_TIMEOUT_MS });
    }
    // Everyone sees five tiles, connected; with the indicator, each shows a level.
    await Promise.all(
      people.map((person) =>
        person.page.waitForFunction(
          (withIndicator) => {
            const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="participant-tile"]')];
            if (tiles.length !== 5 || !tiles.every((tile) => tile.dataset['health'] === 'connected')) return false;
            return !withIndicator || document.querySelectorAll('[data-testid="connection-quality"][data-level="good"], [data-testid="connection-quality"][data-level="fair"], [data-testid="connection-quality"][data-level="poor"]').length === 5;
          },
          mode === 'with',
          { timeout: CALL_TIMEOUT_MS, polling: 250 },
        ),
      ),
    );
    const callsAt = async (page: Page) =>
      mode === 'with' ? page.evaluate(() => (window as unknown as { __statsCalls: { calls: number } }).__statsCalls.calls) : 0;
    const before = await Promise.all(people.map((person) => taskSeconds(person.page)));
    const callsBefore = await Promise.all(people.map((person) => callsAt(person.page)));
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs)); // the measuring window itself, not a wait for state
    const after = await Promise.all(people.map((person) => taskSeconds(person.page)));
    const callsAfter = await Promise.all(people.map((person) => callsAt(person.page)));
    const seconds = (performance.now() - startedAt) / 1000;
    return {
      msPerSecond: after.map((value, index) => ((value - before[index]) * 1000) / seconds),
      callsPerSecond: callsAfter.map((value, index) => (value - callsBefore[index]) / seconds),
    };
  } finally {
    await Promise.allSettled(people.map((person) => person.context.close()));
  }
}

export async function runQualityBench(browser: Browser, baseUrl: string, windowMs: number, log: (line: string) => void): Promise<QualityResult> {
  const result: QualityResult = {
    windowSeconds: windowMs / 1000,
    msPerSecond: { with: [], without: [] },
    medians: { with: Number.NaN, without: Number.NaN },
    getStatsPerSecond: Number.NaN,
    failures: [],
  };
  // Without first, then with, then without again: drift in the machine's load shows as a difference between the two 'without' runs.
  for (const mode of ['without', 'with', 'without'] as const) {
    try {
      log(`quality: six-person call ${mode} the indicator, ${windowMs / 1000} s window`);
      const run = await sixPersonCall(browser, baseUrl, mode, windowMs);
      result.msPerSecond[mode].push(...run.msPerSecond);
      log(`quality: ${mode} the indicator: ${run.msPerSecond.map((value) => value.toFixed(1)).join(', ')} ms/s of main thread per page`);
      if (mode === 'with') result.getStatsPerSecond = median(run.callsPerSecond);
    } catch (error) {
      result.failures.push(`${mode}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  result.medians = { with: median(result.msPerSecond.with), without: median(result.msPerSecond.without) };
  return result;
}
