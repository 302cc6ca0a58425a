/*
 * Diagnostics for a lab case that fails: NET_LAB_TRACE=1 makes the
 * network-change case print what each page's connections did and when.
 */
import type { Page } from 'playwright-core';

/** Prints what a person's page warns about (negotiation, signaling, traces) with its label and the ms since `started`. */
export function echoPageWarnings(person: { network: { label: string }; page: Page }, started: number): void {
  person.page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') console.log(`[${person.network.label} +${Date.now() - started} ms] ${message.text()}`);
  });
}

/** Whether the run asked for traces (NET_LAB_TRACE=1). */
export const TRACE = process.env['NET_LAB_TRACE'] === '1';

/**
 * Every state change of every peer connection on the page, the selected
 * pair whenever it changes (polled every 250 ms: it adds load) and the
 * browser's network events, as console warnings, which the lab specs print
 * with the page's label and time. Runs in the page.
 */
export function tracePeerConnections(): void {
  const list = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? '';
  list.forEach((pc, i) => {
    const say = (what: string) => console.warn(`trace pc${i} ${what} ice=${pc.iceConnectionState} sig=${pc.signalingState} l=${ufrag(pc.localDescription?.sdp)} r=${ufrag(pc.remoteDescription?.sdp)}`);
    pc.addEventListener('iceconnectionstatechange', () => say('ice'));
    pc.addEventListener('signalingstatechange', () => say('sig'));
    pc.addEventListener('icecandidate', (e) => say(`cand ${e.candidate?.candidate?.split(' ').slice(4, 8).join(' ') ?? 'end'}`));
  });
  const last: string[] = [];
  setInterval(async () => {
    for (const [i, pc] of list.entries()) {
      if (pc.connectionState === 'closed') continue;
      const reports = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((report: Record<string, unknown>) => reports.set(String(report['id']), report));
      const transport = [...reports.values()].find((report) => report['type'] === 'transport');
      const pair = reports.get(String(transport?.['selectedCandidatePairId']));
      const local = reports.get(String(pair?.['localCandidateId']));
      const remote = reports.get(String(pair?.['remoteCandidateId']));
      const text = `${local?.['candidateType']}:${local?.['address']} -> ${remote?.['candidateType']}:${remote?.['address']} ${pair?.['state']}`;
      if (text !== last[i]) console.warn(`trace pc${i} pair ${text} (dtls ${transport?.['dtlsState']})`);
      last[i] = text;
    }
  }, 250);
  window.addEventListener('online', () => console.warn('trace online'));
  window.addEventListener('offline', () => console.warn('trace offline'));
  (navigator as unknown as { connection?: EventTarget }).connection?.addEventListener('change', () => console.warn('trace connection change'));
}

/**
 * Once a second, what each connection's video sender did over that second:
 * frames encoded and sent, keyframes, resolution, target rate, the receiver's
 * PLIs and NACKs, and what limits it. Runs in the page.
 */
export function traceVideoSenders(): void {
  const list = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const last = new Map<string, Record<string, number>>();
  setInterval(async () => {
    for (const [i, pc] of list.entries()) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((report: Record<string, unknown>) => {
        if (report['type'] !== 'outbound-rtp' || report['kind'] !== 'video') return;
        const now: Record<string, number> = {};
        for (const key of ['framesEncoded', 'framesSent', 'keyFramesEncoded', 'pliCount', 'nackCount', 'retransmittedPacketsSent', 'bytesSent']) now[key] = Number(report[key] ?? 0);
        const before = last.get(`${i}`) ?? now;
        last.set(`${i}`, now);
        const delta = (key: string) => now[key] - before[key];
        console.warn(
          `video pc${i}: enc ${delta('framesEncoded')} sent ${delta('framesSent')} key ${delta('keyFramesEncoded')} ${report['frameWidth']}x${report['frameHeight']} ` +
            `target ${Math.round(Number(report['targetBitrate'] ?? 0) / 1000)}k sent ${Math.round((delta('bytesSent') * 8) / 1000)}k pli ${delta('pliCount')} nack ${delta('nackCount')} rtx ${delta('retransmittedPacketsSent')} ` +
            `limited ${report['qualityLimitationReason']}`,
        );
      });
    }
  }, 1000);
}
