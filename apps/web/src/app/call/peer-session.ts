import type { IceCandidate, SignalData } from '@mesh-meet/protocol';
import { type AudioEnergy, levelBetween } from './active-speaker';
import { type DtlsFingerprints, sdpFingerprints } from './security-code';
import type { SendLimits } from './send-limits';

export type PeerHealth = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';
export type TrackKind = 'audio' | 'video';
/**
 * Why a pair is failing: descriptions that could not be applied (or were never
 * answered), or no ICE path, told apart by whether a relay existed. Without a
 * TURN server in the configuration, peers behind strict NATs or firewalls can
 * never meet ('no-turn': the operator can fix it); with one, the network itself
 * blocks the way or the relay ('network': another network may work).
 */
export type FailureReason = 'no-turn' | 'network' | 'negotiation';

export interface LocalTracks {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
}

export interface PeerSessionOptions {
  peerId: string;
  /** The later joiner is polite: in an offer collision it rolls back and answers. */
  polite: boolean;
  /** The member already in the room creates the transceivers and the first offer. */
  initiator: boolean;
  configuration: RTCConfiguration;
  createPeerConnection: (configuration: RTCConfiguration) => RTCPeerConnection;
  createMediaStream?: () => MediaStream;
  sendSignal: (data: SignalData) => void;
  localTracks: () => LocalTracks;
  onStream?: (stream: MediaStream) => void;
  /** `failure` says why while the health is `reconnecting` or `failed` after a failure; null otherwise. */
  onHealth?: (health: PeerHealth, failure: FailureReason | null) => void;
  /** The DTLS fingerprints this connection runs on, once it is connected (DTLS done) and again if they change. */
  onFingerprints?: (fingerprints: DtlsFingerprints) => void;
  /** How long ICE may stay `disconnected` before we restart it (networks often recover alone). */
  disconnectedGraceMs?: number;
  /** Tries (ICE restarts and fresh negotiations share them) before the pair counts as failed. */
  maxIceRestarts?: number;
  /** How long an offer may wait for its answer before it counts as a failed negotiation. */
  answerTimeoutMs?: number;
  /** How long a new pair may take to connect at all before it shows as failed (30 s). */
  connectTimeoutMs?: number;
  /** After a resume, how long the polite side waits for the other's fresh offer before it offers itself. */
  resumeOfferWaitMs?: number;
  /**
   * This side performs every ICE restart of the pair (see ice-control.ts): an
   * ICE-restart offer from the other side is not answered; this side makes its
   * own restart offer instead, which the other side, the polite one, answers.
   */
  ownsIceRestarts?: boolean;
  /**
   * The other side performs every ICE restart of the pair (it owns them, see
   * ice-control.ts): where this side would restart ICE, it sends a
   * `{restartIce: true}` request instead, on the same ladder and budget.
   */
  remoteOwnsIceRestarts?: boolean;
  /**
   * Our end of the connection's selected path moved to another network (see
   * localNetworkOf): ICE followed a network change by itself, which the
   * browser may have announced no other way.
   */
  onLocalPathChange?: () => void;
  /** False in low-bandwidth mode: this side asks for no video (see updateVideoDirection). Default true. */
  receiveVideo?: () => boolean;
}

/** After a restart, how long to wait for ICE to come back before the next try. */
const RESTART_WATCH_MS = 8000;
/**
 * A pair that has not connected by now is not going to by waiting: Chromium
 * gives up on ICE checks after about 30 s, and Firefox and Safari can sit in
 * `checking` far longer, which left the tile on "Connecting…" for good.
 */
const CONNECT_TIMEOUT_MS = 30_000;
/** The other side's fresh offer after a resume normally arrives within a round trip or two. */
const RESUME_OFFER_WAIT_MS = 3000;
/**
 * Requests to restart ICE closer together than this are one request: the
 * asking side re-asks only after its restart watch (8 s), so anything more
 * often is a duplicate or a misbehaving peer, and each restart costs a round.
 */
const RESTART_REQUEST_GAP_MS = 2000;

/**
 * One remote peer and the RTCPeerConnection to it (perfect negotiation, as in
 * the WebRTC samples): polite/impolite roles, `makingOffer`, `ignoreOffer`,
 * candidates queued until the remote description is set.
 *
 * Audio and video go through one sendrecv transceiver each, created with the
 * first offer whether or not a camera exists yet; turning a camera on later,
 * or switching to a screen, is `replaceTrack` on that sender and needs no
 * renegotiation. Renegotiation happens for ICE restarts, and when low-bandwidth
 * mode turns our video transceiver `sendonly` or back (updateVideoDirection).
 *
 * Only the first audio and the first video transceiver are used: extra
 * m-lines in an offer are answered `inactive` and their tracks ignored.
 *
 * A negotiation that fails (a description that cannot be applied, an offer
 * that cannot be made, or one never answered) is recorded as the failure
 * reason 'negotiation', rolled back to `stable`, and retried with a fresh
 * ICE-restart offer from this side, on the same budget and backoff as ICE
 * restarts; the health says `reconnecting`, then `failed` when the budget is spent.
 *
 * A pair that never connects is bounded too: 30 s after its creation (or at
 * the first retry after that) it is `failed`, with the reason where one is
 * known, and no further restarts are tried (ICE may still connect by itself).
 */
export class PeerSession {
  readonly peerId: string;
  readonly stream: MediaStream;
  private readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private pendingCandidates: Array<RTCIceCandidateInit | null> = [];
  private health: PeerHealth = 'connecting';
  private wasConnected = false;
  private restarts = 0;
  private recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  private answerTimer: ReturnType<typeof setTimeout> | undefined;
  /** Armed while the pair has never connected and no retry owns the clock. */
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  /** After a resume, on the polite side: fires if the other side's fresh offer does not come. */
  private offerWaitTimer: ReturnType<typeof setTimeout> | undefined;
  /** Offers from the other side applied or ignored so far (a resume waits for the next one). */
  private remoteOffers = 0;
  private readonly connectDeadline: number;
  /** Set from a failed negotiation until a later offer/answer round completes. */
  private negotiationBroken = false;
  private failure: FailureReason | null = null;
  private reported: FailureReason | null = null;
  private limits: SendLimits | undefined;
  private appliedLimits: SendLimits | undefined;
  private lastAudioEnergy: AudioEnergy | undefined;
  private reportedFingerprints: string | undefined;
  /** When we last honoured the other side's request to restart ICE. */
  private lastRestartRequest = Number.NEGATIVE_INFINITY;
  /** The ICE transport whose selected pair we follow, and the network our end of it was last on. */
  private iceTransport: RTCIceTransport | undefined;
  private localNetwork: string | undefined;
  private closed = false;

  constructor(private readonly options: PeerSessionOptions) {
    this.peerId = options.peerId;
    this.stream = options.createMediaStream ? options.createMediaStream() : new MediaStream();
    this.pc = options.createPeerConnection(options.configuration);
    this.connectDeadline = Date.now() + (options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
    this.armConnectDeadline();
    this.pc.onnegotiationneeded = () => void this.negotiate();
    this.pc.onicecandidate = ({ candidate }) =>
      this.options.sendSignal({ candidate: candidate ? toCandidateInit(candidate) : null });
    this.pc.ontrack = ({ track, transceiver }) => {
      // A second video (or audio) m-line from the other side is not ours to show.
      if (transceiver && transceiver !== this.firstTransceiver(track.kind as TrackKind)) return;
      if (!this.stream.getTracks().includes(track)) this.stream.addTrack(track);
      this.options.onStream?.(this.stream);
    };
    this.pc.oniceconnectionstatechange = () => this.onIceState();
    this.pc.onconnectionstatechange = () => this.onConnectionState();
    if (options.initiator) this.addTransceivers();
  }

  get connection(): RTCPeerConnection {
    return this.pc;
  }

  /** Handles an offer, answer or candidate from this peer. */
  async handleSignal(data: SignalData): Promise<void> {
    if (this.closed) return;
    if ('description' in data) {
      await this.handleDescription(data.description as RTCSessionDescriptionInit);
    } else if ('restartIce' in data) {
      this.restartRequested();
    } else if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(data.candidate);
    } else {
      await this.addCandidate(data.candidate);
    }
  }

  /** Puts a local track (or none) on the sender of that kind: camera on/off, screen share, device switch. */
  async setTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    const sender = this.senderFor(kind);
    if (!sender || sender.track === track) return;
    await sender.replaceTrack(track);
  }

  /** Caps what this connection's video sender uses (see sendLimitsFor). */
  async applySendLimits(limits: SendLimits): Promise<void> {
    this.limits = limits;
    // getParameters and setParameters each wait for the browser's WebRTC
    // thread, which is busiest exactly when people join: skip what is set already.
    if (this.appliedLimits && sameLimits(this.appliedLimits, limits)) return;
    const sender = this.senderFor('video');
    if (!sender) return;
    const parameters = sender.getParameters();
    // Before negotiation completes there are no encodings to set; applied again once connected.
    if (!parameters.encodings?.length) return;
    for (const encoding of parameters.encodings) {
      encoding.maxBitrate = limits.maxBitrate;
      encoding.scaleResolutionDownBy = limits.scaleResolutionDownBy;
      encoding.maxFramerate = limits.maxFramerate;
    }
    try {
      await sender.setParameters(parameters);
      this.appliedLimits = limits;
    } catch (error) {
      console.warn('peer: could not apply send limits', { peerId: this.peerId, error: String(error) });
    }
  }

  /**
   * Low-bandwidth mode on or off: our video transceiver becomes `sendonly`
   * (or `sendrecv` again). The change renegotiates (negotiationneeded), and
   * the other side's answer stops (or resumes) its video to us, so the bits
   * are saved on the network, not merely not shown. Audio is untouched.
   */
  updateVideoDirection(): void {
    const transceiver = this.firstTransceiver('video');
    if (this.closed || !transceiver) return;
    const wanted = this.wantedDirection('video');
    if (transceiver.direction !== wanted) transceiver.direction = wanted;
  }

  /** How loud this peer was (RMS, 0..1) since the last call; 0 the first time. */
  async audioLevel(): Promise<number> {
    const receiver = this.pc.getReceivers().find((candidate) => candidate.track.kind === 'audio');
    if (this.closed || !receiver) return 0;
    let energy: AudioEnergy | undefined;
    try {
      (await receiver.getStats()).forEach((report: Partial<AudioEnergy> & { type?: string; kind?: string }) => {
        if (report.type !== 'inbound-rtp' || report.kind !== 'audio') return;
        if (typeof report.totalAudioEnergy !== 'number' || typeof report.totalSamplesDuration !== 'number') return;
        energy = { totalAudioEnergy: report.totalAudioEnergy, totalSamplesDuration: report.totalSamplesDuration };
      });
    } catch {
      return 0; // A closing connection has no stats.
    }
    if (!energy) return 0;
    const level = levelBetween(this.lastAudioEnergy, energy);
    this.lastAudioEnergy = energy;
    return level;
  }

  /**
   * Restarts ICE at once, because the browser knows the path changed (the
   * signaling connection resumed, or the other side did): waiting for ICE to
   * notice would only add seconds. An offer of ours still waiting for its
   * answer may have been lost on a dead socket: it is sent again (see
   * resendPendingOffer), and the restart follows once that round completes
   * (restartIce() waits for a stable connection). If ICE is not back within
   * the restart watch, the usual bounded ladder takes over.
   */
  restartIce(): void {
    if (this.closed) return;
    this.resendPendingOffer();
    this.beginIceRestart();
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = setTimeout(() => this.recover(), RESTART_WATCH_MS);
  }

  /**
   * The signaling path between us broke and came back (we resumed, or the
   * other side did): what either side sent meanwhile may be lost. One side of
   * each pair sends the fresh offer, so the two do not collide: the impolite
   * one (the member who was there first and made the first offer). The polite
   * side sends again an offer of its own still unanswered, and waits for that
   * fresh offer, restarting ICE itself only if none comes in time (the other
   * side may not have heard of the resume).
   */
  pathResumed(): void {
    if (this.closed) return;
    if (!this.options.polite) return this.restartIce();
    this.resendPendingOffer();
    const offersBefore = this.remoteOffers;
    clearTimeout(this.offerWaitTimer);
    this.offerWaitTimer = setTimeout(() => {
      if (this.remoteOffers === offersBefore) this.restartIce();
    }, this.options.resumeOfferWaitMs ?? RESUME_OFFER_WAIT_MS);
  }

  /**
   * Sends again the offer we are waiting on an answer for, which may have
   * gone to a dead socket. Not rolled back and replaced: if it did arrive and
   * its answer is on the way, that answer would be applied to the new offer
   * (the wrong ICE credentials), and a first offer rolled back takes its
   * m-lines' mids with it, after which the other side refuses our offers for
   * good. Sent twice, it is answered twice: the second answer finds us
   * stable and is dropped (see handleDescription).
   */
  private resendPendingOffer(): void {
    const pending = this.pc.localDescription;
    if (this.makingOffer || this.pc.signalingState !== 'have-local-offer' || pending?.type !== 'offer') return;
    this.options.sendSignal({ description: toDescriptionInit(pending) });
    this.awaitAnswer();
  }

  get currentHealth(): PeerHealth {
    return this.health;
  }

  /**
   * Both sides' DTLS fingerprints, from the descriptions applied on this
   * connection (not the ones merely sent or received): the certificates
   * the DTLS handshake actually checked. Null until both are applied.
   */
  get fingerprints(): DtlsFingerprints | null {
    const local = this.pc.currentLocalDescription?.sdp;
    const remote = this.pc.currentRemoteDescription?.sdp;
    if (!local || !remote) return null;
    return { local: sdpFingerprints(local), remote: sdpFingerprints(remote) };
  }

  /** Why the pair is reconnecting or failed, if it failed at something; null while healthy. */
  get currentFailure(): FailureReason | null {
    return this.failure;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.recoveryTimer);
    clearTimeout(this.answerTimer);
    clearTimeout(this.connectTimer);
    clearTimeout(this.offerWaitTimer);
    this.iceTransport?.removeEventListener('selectedcandidatepairchange', this.selectedPairChanged);
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.oniceconnectionstatechange = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    for (const track of this.stream.getTracks()) this.stream.removeTrack(track);
    this.setHealth('closed');
  }

  /** The sendrecv audio and video transceivers every offer carries, with our current tracks. */
  private addTransceivers(): void {
    const tracks = this.options.localTracks();
    for (const kind of ['audio', 'video'] as const) {
      const transceiver = this.pc.addTransceiver(kind, { direction: this.wantedDirection(kind) });
      if (tracks[kind]) void transceiver.sender.replaceTrack(tracks[kind]);
    }
  }

  private async negotiate(): Promise<void> {
    if (this.closed) return;
    // The answering side offers only after a failed negotiation; if the offer it
    // could not apply never created transceivers, its own offer must carry them.
    if (this.pc.getTransceivers().length === 0) this.addTransceivers();
    let failed: unknown;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      if (this.pc.localDescription) {
        this.options.sendSignal({ description: toDescriptionInit(this.pc.localDescription) });
        this.awaitAnswer();
      }
    } catch (error) {
      failed = error;
    } finally {
      this.makingOffer = false;
    }
    if (failed !== undefined) await this.negotiationFailed('offer', failed);
  }

  /**
   * An offer nobody answers (the other side could not apply it and rolled
   * back) would hold this side in have-local-offer for good, and as the
   * impolite peer it would ignore every offer meant to repair things.
   */
  private awaitAnswer(): void {
    clearTimeout(this.answerTimer);
    this.answerTimer = setTimeout(() => {
      if (this.pc.signalingState !== 'have-local-offer') return;
      // A first offer is never rolled back (see resendPendingOffer): if the other side applied it and
      // its answer is merely slow, a new first offer would never match again. It is sent again
      // instead, until it is answered or the connect deadline calls the pair failed.
      if (!this.pc.currentRemoteDescription) return this.resendPendingOffer();
      void this.negotiationFailed('answer', new Error('no answer to our offer'));
    }, this.options.answerTimeoutMs ?? 8000);
  }

  private async handleDescription(description: RTCSessionDescriptionInit): Promise<void> {
    // Why this works: see "perfect negotiation" in the WebRTC spec. The polite
    // peer's setRemoteDescription(offer) rolls back its own offer implicitly.
    const readyForOffer =
      !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
    if (description.type === 'offer') this.remoteOffers += 1;
    // An answer with nothing to answer: a second answer to an offer sent twice after a
    // resume, or one to an offer given up on (its answer timeout passed). Stale, not a failure.
    if (description.type === 'answer' && this.pc.signalingState === 'stable' && !this.settingRemoteAnswer) return;
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.ignoreOffer = !this.options.polite && offerCollision;
    if (this.ignoreOffer) return;
    if (this.options.ownsIceRestarts && description.type === 'offer' && this.restartsIce(description)) {
      // Its candidates belong to an offer never applied; ours brings new ones of both sides.
      this.ignoreOffer = true;
      this.pc.restartIce();
      return;
    }
    try {
      this.settingRemoteAnswer = description.type === 'answer';
      await this.pc.setRemoteDescription(description);
      this.settingRemoteAnswer = false;
      if (description.type === 'answer') clearTimeout(this.answerTimer);
      if (description.type === 'offer') {
        // replaceTrack and setLocalDescription queue on the connection's operations
        // chain in this order; awaiting each in turn would only add trips to the browser.
        const adopted = this.adoptTransceivers();
        await this.pc.setLocalDescription();
        await adopted;
        if (this.pc.localDescription) this.options.sendSignal({ description: toDescriptionInit(this.pc.localDescription) });
      }
      // After the answer went out: the other side needs it before any check can succeed.
      await this.flushCandidates();
    } catch (error) {
      this.settingRemoteAnswer = false;
      await this.negotiationFailed(`apply ${description.type}`, error);
      return;
    }
    this.negotiationSucceeded();
  }

  /**
   * Restarts ICE with a restart offer of ours, or, where the other side owns
   * the pair's restarts, asks it to: a libwebrtc browser that makes a restart
   * offer toward Firefox becomes the ICE-controlling agent and stays so after
   * Firefox's counter-offer, and then media toward Firefox stops for good
   * (ice-control.ts). The caller's watch timer re-asks if nothing comes of it.
   */
  private beginIceRestart(): void {
    if (this.options.remoteOwnsIceRestarts) this.options.sendSignal({ restartIce: true });
    else this.pc.restartIce();
  }

  /**
   * The other side asks us to restart ICE (we own the pair's restarts). An
   * offer of ours still unanswered may be what it never received: that one is
   * sent again rather than a second restart queued behind it. Requests closer
   * together than RESTART_REQUEST_GAP_MS count once, so a peer that keeps
   * asking cannot keep the pair renegotiating.
   */
  private restartRequested(): void {
    const now = Date.now();
    if (now - this.lastRestartRequest < RESTART_REQUEST_GAP_MS) return;
    this.lastRestartRequest = now;
    if (this.pc.signalingState === 'have-local-offer') return this.resendPendingOffer();
    this.pc.restartIce();
  }

  /** An offer with ICE credentials other than those applied: the other side restarts ICE. */
  private restartsIce(offer: RTCSessionDescriptionInit): boolean {
    const applied = this.pc.currentRemoteDescription?.sdp;
    return applied !== undefined && iceUfrag(offer.sdp) !== iceUfrag(applied);
  }

  /**
   * Like the perfect-negotiation sample's `fail(e)`, but a failure here is
   * repaired rather than shown only: back to stable, then a fresh ICE-restart
   * offer (either side may offer; glare is settled by the roles as usual).
   */
  private async negotiationFailed(operation: string, error: unknown): Promise<void> {
    if (this.closed) return;
    console.warn('peer: negotiation failed', { peerId: this.peerId, operation, error: String(error) });
    clearTimeout(this.answerTimer);
    this.negotiationBroken = true;
    this.failure = 'negotiation';
    const state = this.pc.signalingState;
    if (state === 'have-local-offer' || state === 'have-remote-offer') {
      try {
        await this.pc.setLocalDescription({ type: 'rollback' });
      } catch {
        // Closed meanwhile, or already stable: the restart below starts from wherever it is.
      }
    }
    this.retry('negotiation');
  }

  private negotiationSucceeded(): void {
    if (!this.negotiationBroken) return;
    this.negotiationBroken = false;
    this.failure = null;
    this.restarts = 0;
    // Media flows again once ICE does: take the health from ICE's current state.
    this.onIceState();
    this.armConnectDeadline();
  }

  /**
   * The answering side sends on the transceivers the offer created: the first
   * of each kind, made sendrecv and given our current track. Any further ones
   * (a second video, say) are answered inactive: nothing sent, nothing wanted.
   */
  private async adoptTransceivers(): Promise<void> {
    const tracks = this.options.localTracks();
    const seen = new Set<string>();
    const replacing: Array<Promise<void>> = [];
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind as TrackKind;
      if (isStopped(transceiver)) continue;
      if (seen.has(kind)) {
        transceiver.direction = 'inactive';
        continue;
      }
      seen.add(kind);
      const wanted = this.wantedDirection(kind);
      if (transceiver.direction !== wanted) transceiver.direction = wanted;
      if (transceiver.sender.track !== tracks[kind]) replacing.push(transceiver.sender.replaceTrack(tracks[kind]));
    }
    await Promise.all(replacing);
  }

  /** Adds the queued candidates, all at once: the browser applies them in call order. */
  private async flushCandidates(): Promise<void> {
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    await Promise.all(queued.map((candidate) => this.addCandidate(candidate)));
  }

  private async addCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    try {
      await (candidate ? this.pc.addIceCandidate(candidate) : this.pc.addIceCandidate());
    } catch (error) {
      // Candidates of an offer we ignored are expected to fail; anything else is worth a line.
      if (!this.ignoreOffer) console.warn('peer: could not add a candidate', { peerId: this.peerId, error: String(error) });
    }
  }

  private wantedDirection(kind: TrackKind): RTCRtpTransceiverDirection {
    return kind === 'video' && this.options.receiveVideo?.() === false ? 'sendonly' : 'sendrecv';
  }

  private senderFor(kind: TrackKind): RTCRtpSender | undefined {
    return this.firstTransceiver(kind)?.sender;
  }

  private firstTransceiver(kind: TrackKind): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((transceiver) => !isStopped(transceiver) && transceiver.receiver.track.kind === kind);
  }

  private onIceState(): void {
    const state = this.pc.iceConnectionState;
    if (this.negotiationBroken) {
      // The negotiation retry owns the timer and the health until a round completes:
      // ICE may well say "connected" while no media can flow.
      if (state === 'connected' || state === 'completed') this.wasConnected = true;
      return;
    }
    clearTimeout(this.recoveryTimer);
    if (state === 'connected' || state === 'completed') {
      this.wasConnected = true;
      clearTimeout(this.connectTimer);
      this.restarts = 0;
      this.failure = null;
      this.setHealth('connected');
      if (this.limits) void this.applySendLimits(this.limits);
    } else if (state === 'disconnected') {
      // Often a passing glitch (Wi-Fi roaming); restart ICE only if it lasts.
      this.setHealth('reconnecting');
      this.recoveryTimer = setTimeout(() => this.recover(), this.options.disconnectedGraceMs ?? 4000);
    } else if (state === 'failed') {
      this.recover();
    } else if (state === 'checking' || state === 'new') {
      this.setHealth(this.wasConnected ? 'reconnecting' : 'connecting');
      // A restart's watch timer was just cleared: the deadline keeps this state from lasting for ever.
      this.armConnectDeadline();
    }
  }

  private onConnectionState(): void {
    const state = this.pc.connectionState;
    if (state === 'connected') {
      this.reportFingerprints();
      this.followSelectedPair();
    } else if (state === 'failed') this.recover();
  }

  /**
   * Follows the selected candidate pair of the (bundled) ICE transport, where
   * the browser has RTCIceTransport (Chromium; not every Firefox): when our
   * end of it moves to another network, we were moved off ours.
   */
  private followSelectedPair(): void {
    if (!this.options.onLocalPathChange) return;
    const transport = this.pc
      .getTransceivers()
      .map((transceiver) => transceiver.sender.transport?.iceTransport)
      .find((candidate) => candidate !== undefined && typeof candidate.getSelectedCandidatePair === 'function');
    if (!transport || transport === this.iceTransport) return;
    this.iceTransport?.removeEventListener('selectedcandidatepairchange', this.selectedPairChanged);
    this.iceTransport = transport;
    transport.addEventListener('selectedcandidatepairchange', this.selectedPairChanged);
    this.selectedPairChanged();
  }

  private readonly selectedPairChanged = (): void => {
    if (this.closed) return;
    const network = localNetworkOf(this.iceTransport?.getSelectedCandidatePair()?.local);
    if (network === null) return;
    const before = this.localNetwork;
    this.localNetwork = network;
    if (before === undefined || before === network) return;
    console.warn('peer: our end of the path moved to another network', { peerId: this.peerId });
    this.options.onLocalPathChange?.();
  };

  /** `connected` means DTLS has verified the remote certificate against its fingerprint: now they vouch for something. */
  private reportFingerprints(): void {
    const fingerprints = this.fingerprints;
    if (!fingerprints) return;
    const key = JSON.stringify(fingerprints);
    if (key === this.reportedFingerprints) return;
    this.reportedFingerprints = key;
    this.options.onFingerprints?.(fingerprints);
  }

  /** ICE is not healthy: restart it, unless a negotiation retry is under way (it restarts ICE too). */
  private recover(): void {
    if (this.closed || this.negotiationBroken) return;
    const state = this.pc.iceConnectionState;
    if (state === 'connected' || state === 'completed') return;
    this.retry(this.iceFailure());
  }

  /** No ICE path: without a relay to fall back on, the missing TURN server is the likely cause. */
  private iceFailure(): FailureReason {
    return this.wasConnected || offersRelay(this.options.configuration) ? 'network' : 'no-turn';
  }

  /** (Re)arms the never-connected deadline; while a retry runs, the retry checks it instead of a timer. */
  private armConnectDeadline(): void {
    clearTimeout(this.connectTimer);
    if (this.closed || this.wasConnected) return;
    const left = this.connectDeadline - Date.now();
    if (left <= 0) this.connectDeadlinePassed();
    else this.connectTimer = setTimeout(() => this.connectDeadlinePassed(), left);
  }

  private connectDeadlinePassed(): void {
    if (this.closed || this.wasConnected) return;
    clearTimeout(this.recoveryTimer);
    // ICE that never left `new` exchanged nothing (no offer or answer arrived): the reason is not known.
    if (!this.failure && this.pc.iceConnectionState !== 'new') this.failure = this.iceFailure();
    this.restarts = Number.POSITIVE_INFINITY;
    this.setHealth('failed');
  }

  /**
   * ICE restart with bounded retries and backoff (now, then 1 s, 2 s, 4 s, 8 s).
   * A restart is also a fresh offer, so it repairs a failed negotiation too;
   * both kinds of failure draw on the same budget.
   */
  private retry(reason: FailureReason): void {
    if (this.closed) return;
    this.failure = reason;
    // The retry ladder owns the clock from here; past the deadline it stops.
    clearTimeout(this.connectTimer);
    if (!this.wasConnected && Date.now() >= this.connectDeadline) return this.connectDeadlinePassed();
    const max = this.options.maxIceRestarts ?? 5;
    if (this.restarts >= max) {
      clearTimeout(this.recoveryTimer);
      this.setHealth('failed');
      return;
    }
    this.setHealth('reconnecting');
    const delay = this.restarts === 0 ? 0 : 1000 * 2 ** (this.restarts - 1);
    this.restarts += 1;
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = setTimeout(() => {
      if (this.closed) return;
      this.beginIceRestart();
      // If nothing improves, try again (the next attempt waits longer). A
      // negotiation retry is driven by its answer (or its answer timeout) instead.
      this.recoveryTimer = setTimeout(() => this.recover(), RESTART_WATCH_MS);
    }, delay);
  }

  private setHealth(health: PeerHealth): void {
    const failure = health === 'reconnecting' || health === 'failed' ? this.failure : null;
    if (this.health === health && this.reported === failure) return;
    this.health = health;
    this.reported = failure;
    this.options.onHealth?.(health, failure);
  }
}

/**
 * Which network our end of a path is on, as far as a candidate tells: its own
 * address (a host candidate's, or the public one a NAT gave a srflx or prflx
 * candidate), or for a relay candidate the address the TURN server saw us
 * from (its related address; the relay's own address is the TURN server's,
 * the same on every network). An ICE restart on the same network keeps it.
 * Null where the browser hides it.
 */
export function localNetworkOf(candidate: Pick<RTCIceCandidate, 'type' | 'address' | 'relatedAddress'> | null | undefined): string | null {
  if (!candidate) return null;
  const address = candidate.type === 'relay' ? candidate.relatedAddress : candidate.address;
  if (!address || address === '0.0.0.0' || address === '::') return null;
  return address;
}

function offersRelay(configuration: RTCConfiguration): boolean {
  return (configuration.iceServers ?? []).some((server) => [server.urls].flat().some((url) => /^turns?:/i.test(url)));
}

function sameLimits(a: SendLimits, b: SendLimits): boolean {
  return a.maxBitrate === b.maxBitrate && a.scaleResolutionDownBy === b.scaleResolutionDownBy && a.maxFramerate === b.maxFramerate;
}

function toDescriptionInit(description: RTCSessionDescription): { type: RTCSdpType; sdp?: string } {
  return { type: description.type, sdp: description.sdp };
}

function toCandidateInit(candidate: RTCIceCandidate): IceCandidate {
  const init = candidate.toJSON();
  return {
    candidate: init.candidate ?? '',
    sdpMid: init.sdpMid ?? null,
    sdpMLineIndex: init.sdpMLineIndex ?? null,
    usernameFragment: init.usernameFragment ?? null,
  };
}

function iceUfrag(sdp: string | undefined): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '')?.[1];
}

function isStopped(transceiver: RTCRtpTransceiver): boolean {
  return transceiver.currentDirection === 'stopped' || transceiver.direction === 'stopped';
}
