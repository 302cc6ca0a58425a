/*
 * Reads of the peer connections a lab page made (recorded by
 * recordPeerConnections). Each function runs inside the page, so it uses
 * nothing from outside its own body.
 */

export interface SelectedPair {
  connectionState: RTCPeerConnectionState;
  /** host, srflx, prflx or relay. */
  local: string;
  remote: string;
  /** For a relay candidate: how this browser reaches the TURN server (udp, tcp, tls). */
  localRelayProtocol: string | null;
  remoteRelayProtocol: string | null;
  /** The TURN username this connection was configured with (the server issued it), if any. */
  turnUsername: string | null;
}

/** The selected candidate pair of every open peer connection on the page. */
export async function selectedPairs(): Promise<SelectedPair[]> {
  const recorded = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const open = recorded.filter((pc) => pc.connectionState !== 'closed');
  return Promise.all(
    open.map(async (pc) => {
      const reports = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((report: Record<string, unknown>) => reports.set(String(report['id']), report));
      const transport = [...reports.values()].find((report) => report['type'] === 'transport' && report['selectedCandidatePairId']);
      // Firefox has no transport report: its selected pair says so itself (a non-standard `selected`).
      const pair = transport
        ? reports.get(String(transport['selectedCandidatePairId']))
        : [...reports.values()].find((report) => report['type'] === 'candidate-pair' && report['selected'] === true);
      const local = pair ? reports.get(String(pair['localCandidateId'])) : undefined;
      const remote = pair ? reports.get(String(pair['remoteCandidateId'])) : undefined;
      const turn = pc.getConfiguration().iceServers?.find((server) => [server.urls].flat().some((url) => url.startsWith('turn')));
      return {
        connectionState: pc.connectionState,
        local: String(local?.['candidateType'] ?? ''),
        remote: String(remote?.['candidateType'] ?? ''),
        localRelayProtocol: (local?.['relayProtocol'] as string | undefined) ?? null,
        remoteRelayProtocol: (remote?.['relayProtocol'] as string | undefined) ?? null,
        turnUsername: turn?.username ?? null,
      };
    }),
  );
}

export interface Sending {
  /** What the page sent over `windowMs` on all its connections together, RTP headers included (bits/s). */
  bitsPerSecond: number;
  /** The congestion controller's estimate of each connection's path (selected pair's availableOutgoingBitrate, bits/s). */
  availableOutgoingBitrate: number[];
  /** Why each video sender sends less than it would like (qualityLimitationReason). */
  qualityLimitationReasons: string[];
}

/** The page's outgoing media over `windowMs`: rate, path estimates, limitation reasons. */
export async function sending(windowMs: number): Promise<Sending> {
  const recorded = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const open = recorded.filter((pc) => pc.connectionState !== 'closed');
  const read = async () => {
    let bytes = 0;
    const available: number[] = [];
    const reasons: string[] = [];
    for (const pc of open) {
      const reports = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((report: Record<string, unknown>) => reports.set(String(report['id']), report));
      for (const report of reports.values()) {
        if (report['type'] === 'outbound-rtp') {
          bytes += Number(report['bytesSent'] ?? 0) + Number(report['headerBytesSent'] ?? 0);
          if (report['kind'] === 'video') reasons.push(String(report['qualityLimitationReason'] ?? ''));
        }
        if (report['type'] === 'transport' && report['selectedCandidatePairId']) {
          const pair = reports.get(String(report['selectedCandidatePairId']));
          if (typeof pair?.['availableOutgoingBitrate'] === 'number') available.push(pair['availableOutgoingBitrate']);
        }
      }
    }
    return { bytes, available, reasons };
  };
  const before = await read();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await read();
  const seconds = (performance.now() - started) / 1000;
  return {
    bitsPerSecond: Math.round(((after.bytes - before.bytes) * 8) / seconds),
    availableOutgoingBitrate: after.available,
    qualityLimitationReasons: after.reasons,
  };
}

export interface InboundVideo {
  /** The selected pair's remote address: whose video this is. */
  remoteAddress: string;
  framesDecoded: number;
  freezeCount: number;
  /** Seconds. */
  totalFreezesDuration: number;
}

/** The video each open connection on the page receives, with its freezes (inbound-rtp). */
export async function inboundVideo(): Promise<InboundVideo[]> {
  const recorded = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const open = recorded.filter((pc) => pc.connectionState !== 'closed');
  return Promise.all(
    open.map(async (pc) => {
      const reports = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((report: Record<string, unknown>) => reports.set(String(report['id']), report));
      const transport = [...reports.values()].find((report) => report['type'] === 'transport' && report['selectedCandidatePairId']);
      const pair = transport ? reports.get(String(transport['selectedCandidatePairId'])) : undefined;
      const remote = pair ? reports.get(String(pair['remoteCandidateId'])) : undefined;
      const video = [...reports.values()].find((report) => report['type'] === 'inbound-rtp' && report['kind'] === 'video');
      return {
        remoteAddress: String(remote?.['address'] ?? remote?.['ip'] ?? ''),
        framesDecoded: Number(video?.['framesDecoded'] ?? 0),
        freezeCount: Number(video?.['freezeCount'] ?? 0),
        totalFreezesDuration: Number(video?.['totalFreezesDuration'] ?? 0),
      };
    }),
  );
}
