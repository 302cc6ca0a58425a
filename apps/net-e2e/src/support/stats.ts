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
