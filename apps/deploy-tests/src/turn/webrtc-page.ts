import type { Page } from 'playwright-core';
import type { IceServer } from '@mesh-meet/protocol';
import { waitFor } from '@mesh-meet/testing';

/**
 * RTCPeerConnection steps run inside a Chromium page (page.evaluate). Each
 * page holds one connection in `window.__mm`. Every wait is on a state
 * (ICE gathering, connection state, decoded frames) with its own bound.
 */

export interface SelectedPair {
  localType: string;
  remoteType: string;
  localAddress: string;
  relayProtocol: string | undefined;
  framesDecoded: number;
}

export interface GatherResult {
  candidateTypes: string[];
  errors: { errorCode: number; errorText: string; url: string }[];
}

interface PageState {
  __mm: {
    pc: RTCPeerConnection;
    errors: GatherResult['errors'];
    candidateTypes: string[];
    /** Resolves when ICE gathering is complete; rejects after timeoutMs. */
    gathered(timeoutMs: number): Promise<void>;
  };
}

type Config = { iceServers: IceServer[]; iceTransportPolicy: RTCIceTransportPolicy };

/** Creates the connection; with `camera`, sends the fake camera's video. */
export async function createPeer(page: Page, config: Config, camera: boolean): Promise<void> {
  await page.evaluate(
    async ({ config, camera }) => {
      const pc = new RTCPeerConnection(config);
      const gathered = (timeoutMs: number) =>
        new Promise<void>((resolve, reject) => {
          if (pc.iceGatheringState === 'complete') return resolve();
          const timer = setTimeout(
            () => reject(new Error(`ICE gathering still ${pc.iceGatheringState} after ${timeoutMs} ms`)),
            timeoutMs,
          );
          pc.addEventListener('icegatheringstatechange', () => {
            if (pc.iceGatheringState === 'complete') {
              clearTimeout(timer);
              resolve();
            }
          });
        });
      const state = { pc, errors: [] as GatherResult['errors'], candidateTypes: [] as string[], gathered };
      (window as unknown as PageState).__mm = state;
      pc.addEventListener('icecandidateerror', (event) => {
        const error = event as RTCPeerConnectionIceErrorEvent;
        state.errors.push({ errorCode: error.errorCode, errorText: error.errorText, url: error.url });
      });
      pc.addEventListener('icecandidate', (event) => {
        if (event.candidate?.type) state.candidateTypes.push(event.candidate.type);
      });
      pc.addEventListener('track', (event) => {
        // A playing sink, as the app has: frames are decoded for it.
        const video = document.createElement('video');
        video.muted = true;
        video.autoplay = true;
        video.playsInline = true;
        video.srcObject = event.streams[0] ?? new MediaStream([event.track]);
        document.body.append(video);
        void video.play().catch(() => undefined);
      });
      if (camera) {
        const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
        for (const track of stream.getTracks()) pc.addTrack(track, stream);
      } else {
        pc.createDataChannel('probe');
      }
    },
    { config, camera },
  );
}

/** Offer with every candidate in it (no trickle: one signal each way). */
export async function makeOffer(page: Page): Promise<RTCSessionDescriptionInit> {
  return page.evaluate(async () => {
    const { pc, gathered } = (window as unknown as PageState).__mm;
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(15_000);
    return pc.localDescription?.toJSON() as RTCSessionDescriptionInit;
  });
}

export async function answerOffer(page: Page, offer: RTCSessionDescriptionInit): Promise<RTCSessionDescriptionInit> {
  return page.evaluate(async (offer) => {
    const { pc, gathered } = (window as unknown as PageState).__mm;
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(15_000);
    return pc.localDescription?.toJSON() as RTCSessionDescriptionInit;
  }, offer);
}

export async function acceptAnswer(page: Page, answer: RTCSessionDescriptionInit): Promise<void> {
  await page.evaluate(async (answer) => {
    await (window as unknown as PageState).__mm.pc.setRemoteDescription(answer);
  }, answer);
}

/** Resolves once connectionState is 'connected'; rejects on 'failed' or after timeoutMs. */
export async function waitConnected(page: Page, timeoutMs = 20_000): Promise<void> {
  await page.evaluate(
    (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const { pc } = (window as unknown as PageState).__mm;
        const check = () => {
          if (pc.connectionState === 'connected') {
            clearTimeout(timer);
            resolve();
          } else if (pc.connectionState === 'failed') {
            clearTimeout(timer);
            reject(new Error('connectionState failed'));
          }
        };
        const timer = setTimeout(() => reject(new Error(`connectionState still ${pc.connectionState} after ${timeoutMs} ms`)), timeoutMs);
        pc.addEventListener('connectionstatechange', check);
        check();
      }),
    timeoutMs,
  );
}

/** The selected candidate pair and the video frames decoded so far, from getStats. */
export async function selectedPair(page: Page): Promise<SelectedPair> {
  return page.evaluate(async () => {
    const stats = await (window as unknown as PageState).__mm.pc.getStats();
    let pairId: string | undefined;
    let framesDecoded = 0;
    stats.forEach((report: { type: string; selectedCandidatePairId?: string; kind?: string; framesDecoded?: number }) => {
      if (report.type === 'transport' && report.selectedCandidatePairId) pairId = report.selectedCandidatePairId;
      if (report.type === 'inbound-rtp' && report.kind === 'video') framesDecoded += report.framesDecoded ?? 0;
    });
    const pair = pairId ? stats.get(pairId) : undefined;
    const local = pair ? stats.get(pair.localCandidateId) : undefined;
    const remote = pair ? stats.get(pair.remoteCandidateId) : undefined;
    return {
      localType: local?.candidateType ?? 'none',
      remoteType: remote?.candidateType ?? 'none',
      localAddress: local?.address ?? '',
      relayProtocol: local?.relayProtocol,
      framesDecoded,
    };
  });
}

/** Waits until more than `atLeast` video frames have been decoded (polling getStats: the state itself). */
export async function waitFramesDecoded(page: Page, atLeast: number, timeoutMs = 15_000): Promise<number> {
  let framesDecoded = 0;
  const decoded = async () => ((framesDecoded = (await selectedPair(page)).framesDecoded) > atLeast ? framesDecoded : 0);
  return waitFor(decoded, { what: `more than ${atLeast} decoded frames`, timeoutMs, intervalMs: 200 }).catch(() => {
    throw new Error(`framesDecoded stayed at ${framesDecoded} (wanted > ${atLeast}) for ${timeoutMs} ms`);
  });
}

/** Only gathers candidates (no remote side): which types came, which ICE errors. */
export async function gather(page: Page, config: Config): Promise<GatherResult> {
  await createPeer(page, config, false);
  return page.evaluate(async () => {
    const state = (window as unknown as PageState).__mm;
    await state.pc.setLocalDescription(await state.pc.createOffer());
    await state.gathered(15_000);
    const result = { candidateTypes: [...state.candidateTypes], errors: [...state.errors] };
    state.pc.close();
    return result;
  });
}

export async function closePeer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = (window as unknown as Partial<PageState>).__mm;
    state?.pc.getSenders().forEach((sender) => sender.track?.stop());
    state?.pc.close();
  });
}
