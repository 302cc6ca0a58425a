/*
 * Reads of the call that run inside a page of either engine: Chromium pages
 * are driven by Playwright, Firefox pages by puppeteer-core over WebDriver
 * BiDi, and both hand a function and one argument to the page the same way.
 * Each function is serialised into the page, so it uses nothing from outside
 * its own body.
 */
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';

export type AnyPage = PlaywrightPage | PuppeteerPage;

/** Runs `fn(arg)` in the page; the argument and result travel as JSON-like values in both drivers. */
export function inPage<A, R>(page: AnyPage, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  const run = fn as (arg: unknown) => R | Promise<R>;
  if ('evaluateOnNewDocument' in page) return page.evaluate(run, arg) as Promise<R>;
  return page.evaluate(run, arg as unknown);
}

/**
 * Init script for every participant page: records each RTCPeerConnection it
 * makes in window.__peerConnections, so tests can read getStats() or restart
 * ICE without a hook in the product.
 */
export function recordPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  const created: RTCPeerConnection[] = [];
  (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = created;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      created.push(this);
    }
  } as typeof RTCPeerConnection;
}

export interface TileState {
  name: string;
  video: string | null;
  audio: string | null;
  screen: string | null;
  health: string | null;
  /** Why it could not connect (data-failure), when it could not. */
  failure: string | null;
  /** The connection status the tile shows (data-testid peer-health), if any. */
  healthText: string | null;
}

/** Every remote tile on the page with its marks (camera, microphone, screen, connection). */
export function tiles(): TileState[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="participant-tile"]')].map((tile) => ({
    name: tile.dataset['peerName'] ?? '',
    video: tile.dataset['video'] ?? null,
    audio: tile.dataset['audio'] ?? null,
    screen: tile.dataset['screen'] ?? null,
    health: tile.dataset['health'] ?? null,
    failure: tile.dataset['failure'] ?? null,
    healthText: tile.querySelector('[data-testid="peer-health"]')?.textContent?.trim() ?? null,
  }));
}

/**
 * Video frames rendered per remote tile, by display name, over `windowMs`.
 * Counted with requestVideoFrameCallback, which both engines have: Firefox's
 * getVideoPlaybackQuality().totalVideoFrames stays 0 for live streams.
 */
export function framesByName(windowMs: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let counting = true;
  for (const tile of document.querySelectorAll<HTMLElement>('[data-testid="participant-tile"]')) {
    const name = tile.dataset['peerName'] ?? '';
    counts[name] = 0;
    const video = tile.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
    const onFrame = () => {
      if (!counting || !video) return;
      counts[name] += 1;
      video.requestVideoFrameCallback(onFrame);
    };
    video?.requestVideoFrameCallback(onFrame);
  }
  return new Promise((resolve) =>
    setTimeout(() => {
      counting = false;
      resolve(counts);
    }, windowMs),
  );
}

export interface AudioFlow {
  remoteVideos: number;
  /** Remote media elements that are neither muted nor paused (the remote audio plays through them). */
  audible: number;
  connected: number;
  /** Connected peer connections whose inbound audio energy grew over the window: live sound, not silence. */
  withGrowingEnergy: number;
}

/** Whether remote audio arrives and plays; needs window.__peerConnections (see newParticipant). */
export async function audioFlow(windowMs: number): Promise<AudioFlow> {
  const videos = [...document.querySelectorAll<HTMLVideoElement>('[data-testid="remote-video"]')];
  const recorded = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const connected = recorded.filter((pc) => pc.connectionState === 'connected');
  const energy = async (pc: RTCPeerConnection) => {
    let total = 0;
    (await pc.getStats()).forEach((report: { type?: string; kind?: string; totalAudioEnergy?: number }) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') total += report.totalAudioEnergy ?? 0;
    });
    return total;
  };
  const before = await Promise.all(connected.map(energy));
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await Promise.all(connected.map(energy));
  return {
    remoteVideos: videos.length,
    audible: videos.filter((video) => !video.muted && !video.paused).length,
    connected: connected.length,
    withGrowingEnergy: after.filter((value, index) => value > before[index]).length,
  };
}

/** The text of every chat message shown, in order. */
export function chatTexts(): string[] {
  return [...document.querySelectorAll('[data-testid="chat-message"]')].map((message) => message.textContent ?? '');
}

export interface IceState {
  localUfrag: string;
  remoteUfrag: string;
  connectionState: RTCPeerConnectionState;
  signalingState: RTCSignalingState;
}

/** The ICE credentials and state of every open peer connection: a restart changes both ufrags. */
export function iceStates(): IceState[] {
  const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? '';
  return (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
    .filter((pc) => pc.connectionState !== 'closed')
    .map((pc) => ({
      localUfrag: ufrag(pc.localDescription?.sdp),
      remoteUfrag: ufrag(pc.remoteDescription?.sdp),
      connectionState: pc.connectionState,
      signalingState: pc.signalingState,
    }));
}

/**
 * Forces an ICE restart on the peer connections made `indexes`-th on this page
 * (creation order), as the app's recovery does: restartIce() fires
 * negotiationneeded and the app's perfect negotiation sends the new offer.
 * Returns how many were restarted.
 */
export function restartIceOf(indexes: number[]): number {
  const recorded = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const chosen = indexes.map((index) => recorded[index]).filter((pc) => pc && pc.connectionState !== 'closed');
  for (const pc of chosen) pc.restartIce();
  return chosen.length;
}
