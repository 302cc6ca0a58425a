/**
 * A scripted stand-in for RTCPeerConnection (jsdom has none): it follows the
 * signaling state machine far enough to exercise perfect negotiation, and
 * records what the code under test did.
 */
export class FakeTrack {
  readonly id = Math.random().toString(36).slice(2);
  enabled = true;
  constructor(readonly kind: 'audio' | 'video') {}
  stop = jest.fn();
}

type Candidate = { type: string; address: string | null; relatedAddress: string | null };

/** The ICE transport under a bundle: its selected pair, and the `selectedcandidatepairchange` event. */
export class FakeIceTransport {
  private local: Candidate | null = null;
  private readonly listeners = new Set<() => void>();
  getSelectedCandidatePair() {
    return this.local ? { local: this.local, remote: { type: 'srflx', address: '198.51.100.9', relatedAddress: null } } : null;
  }
  addEventListener(event: string, listener: () => void) {
    if (event === 'selectedcandidatepairchange') this.listeners.add(listener);
  }
  removeEventListener(event: string, listener: () => void) {
    if (event === 'selectedcandidatepairchange') this.listeners.delete(listener);
  }
  /** ICE picked a pair whose local end is `local`. */
  select(local: Candidate) {
    this.local = local;
    for (const listener of [...this.listeners]) listener();
  }
  get listening(): number {
    return this.listeners.size;
  }
}

export class FakeSender {
  /** Set once negotiated (FakePeerConnection.iceTransport): the DTLS transport over the bundle's ICE transport. */
  transport: { iceTransport: FakeIceTransport } | null = null;
  track: FakeTrack | null = null;
  parameters: { encodings: Array<Record<string, number>> } = { encodings: [] };
  readonly replaceTrack = jest.fn(async (track: FakeTrack | null) => {
    this.track = track;
  });
  readonly setParameters = jest.fn(async (parameters: { encodings: Array<Record<string, number>> }) => {
    this.parameters = parameters;
  });
  getParameters() {
    return { encodings: this.parameters.encodings.map((encoding) => ({ ...encoding })) };
  }
}

/** A receiver whose getStats() reports `inboundAudio` (what the test "hears") as inbound-rtp. */
export class FakeReceiver {
  inboundAudio: { totalAudioEnergy: number; totalSamplesDuration: number } | null = null;
  constructor(readonly track: FakeTrack) {}
  async getStats() {
    const reports = new Map<string, unknown>();
    if (this.inboundAudio) reports.set('in', { type: 'inbound-rtp', kind: this.track.kind, ...this.inboundAudio });
    return reports;
  }
}

export class FakeTransceiver {
  readonly sender = new FakeSender();
  readonly receiver: FakeReceiver;
  currentDirection: string | null = null;
  constructor(
    kind: 'audio' | 'video',
    public direction: string,
  ) {
    this.receiver = new FakeReceiver(new FakeTrack(kind));
  }
}

export class FakeMediaStream {
  private readonly tracks: FakeTrack[] = [];
  getTracks() {
    return [...this.tracks];
  }
  addTrack(track: FakeTrack) {
    this.tracks.push(track);
  }
  removeTrack(track: FakeTrack) {
    this.tracks.splice(this.tracks.indexOf(track), 1);
  }
}

type Description = { type: string; sdp?: string };

export class FakePeerConnection {
  static created: FakePeerConnection[] = [];
  signalingState = 'stable';
  iceConnectionState = 'new';
  connectionState = 'new';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  /** As in a browser: the descriptions of the last completed offer/answer round. */
  currentLocalDescription: Description | null = null;
  currentRemoteDescription: Description | null = null;
  /** When set, setLocalDescription writes it into the SDP as `a=fingerprint:`, as a browser does with its certificate's. */
  fingerprint: string | null = null;
  readonly transceivers: FakeTransceiver[] = [];
  readonly calls: string[] = [];
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: unknown }) => void) | null = null;
  ontrack: ((event: { track: FakeTrack; transceiver: FakeTransceiver }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  /** The m-lines a remote offer brings, when it finds no transceivers (a browser's offer: audio, then video). */
  offeredKinds: Array<'audio' | 'video'> = ['audio', 'video'];
  /** Makes setRemoteDescription throw (as a browser does on SDP it cannot apply) this many more times. */
  remoteDescriptionFailures = 0;
  /** The bundle's ICE transport: every sender's once a round completed, as in a browser. */
  readonly iceTransport = new FakeIceTransport();
  private offers = 0;

  readonly addIceCandidate = jest.fn(async (candidate?: unknown) => {
    this.calls.push(candidate === undefined ? 'addIceCandidate(end)' : 'addIceCandidate');
    if (!this.remoteDescription) throw new Error('InvalidStateError: no remote description');
  });
  readonly restartIce = jest.fn(() => this.calls.push('restartIce'));
  readonly close = jest.fn(() => {
    this.signalingState = 'closed';
  });

  constructor(readonly configuration: unknown) {
    FakePeerConnection.created.push(this);
  }

  addTransceiver(kind: 'audio' | 'video', init: { direction: string }) {
    const transceiver = new FakeTransceiver(kind, init.direction);
    this.transceivers.push(transceiver);
    return transceiver;
  }

  getTransceivers() {
    return this.transceivers;
  }

  getReceivers() {
    return this.transceivers.map((transceiver) => transceiver.receiver);
  }

  async setLocalDescription(description?: Description): Promise<void> {
    if (description?.type === 'rollback') {
      this.calls.push('setLocalDescription(rollback)');
      if (this.signalingState === 'have-remote-offer') this.remoteDescription = null;
      this.signalingState = 'stable';
      return;
    }
    const type = description?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
    this.calls.push(`setLocalDescription(${type})`);
    if (type === 'offer') {
      this.offers += 1;
      this.signalingState = 'have-local-offer';
    } else {
      this.signalingState = 'stable';
    }
    const fingerprint = this.fingerprint ? `\r\na=fingerprint:${this.fingerprint}` : '';
    this.localDescription = { type, sdp: `${type}-${this.offers}${fingerprint}` };
    if (this.signalingState === 'stable') this.completeRound();
  }

  async setRemoteDescription(description: Description): Promise<void> {
    this.calls.push(`setRemoteDescription(${description.type})`);
    if (this.remoteDescriptionFailures > 0) {
      this.remoteDescriptionFailures -= 1;
      throw new Error('OperationError: Failed to parse SessionDescription');
    }
    if (description.type === 'offer') {
      if (this.signalingState === 'have-local-offer') this.calls.push('rollback');
      this.signalingState = 'have-remote-offer';
      // A remote offer creates receiving transceivers, as the browser does.
      if (this.transceivers.length === 0) {
        for (const kind of this.offeredKinds) {
          const transceiver = this.addTransceiver(kind, { direction: 'recvonly' });
          this.ontrack?.({ track: transceiver.receiver.track, transceiver });
        }
      }
    } else {
      if (this.signalingState !== 'have-local-offer') throw new Error('InvalidStateError: no offer to answer');
      this.signalingState = 'stable';
    }
    this.remoteDescription = description;
    if (this.signalingState === 'stable') this.completeRound();
  }

  private completeRound(): void {
    for (const transceiver of this.transceivers) transceiver.sender.transport = { iceTransport: this.iceTransport };
    this.currentLocalDescription = this.localDescription;
    this.currentRemoteDescription = this.remoteDescription;
  }

  /** Moves the connection (DTLS) to `state` and fires the handler, as the browser would. */
  setConnectionState(state: string): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }

  /** Moves ICE to `state` and fires the handler, as the browser would. */
  setIceState(state: string): void {
    this.iceConnectionState = state;
    this.oniceconnectionstatechange?.();
  }

  async getStats() {
    return new Map();
  }
}
