import { DestroyRef, Injectable, effect, inject } from '@angular/core';
import type { Access, Closing, JoinDenied, JoinRequest, JoinSuccess, JoinWaiting, MediaState, PeerInfo, QualitySample } from '@mesh-meet/protocol';
import { MEDIA_STREAM_FACTORY, ON_NETWORK_CHANGE, ON_PAGE_HIDE, PAGE_VISIBILITY, PEER_CONNECTION_FACTORY } from '../core/browser.tokens';
import { IdentityStore } from '../core/identity.store';
import { CallStore } from './call.store';
import { OFFERS_FIRST } from './ice-control';
import { LocalMediaService } from './local-media.service';
import { PeerSession } from './peer-session';
import { PeerSessions } from './peer-sessions';
import { QualityMonitor, type LinkView } from './quality/quality-monitor';
import { QualityStore } from './quality/quality.store';
import { ConnectionRampUp } from './quality/ramp-up';
import { UplinkGovernor, networkLimitation, steppedDown, worstLimitation } from './quality/uplink-step';
import { securityCode } from './security-code';
import { type SendLimits, sendLimitsFor } from './send-limits';
import { SignalingClient, type Unsubscribe } from './signaling.client';
import { SpeakerDetection } from './speaker-detection';

export interface JoinOptions {
  roomId: string;
  name: string;
  hostKey?: string;
}

/** How long Leave waits for the server's ack before it closes anyway. */
const LEAVE_ACK_WAIT_MS = 1500;
/** A rejoin the server could not serve yet (UNAVAILABLE) is tried again this often, 2 s, 4 s … apart. */
const MAX_REJOIN_RETRIES = 5;
/** How long the server may take to answer before a connection whose peers' ICE broke counts as dead too. */
const SIGNALING_PROBE_MS = 5000;
/** The same after our end of a path moved network: the new network works (ICE just used it), so an answer is quick. */
const PATH_CHANGE_PROBE_MS = 1500;
/**
 * A signaling connection younger than this when a path moves was made on the
 * network ICE moved to (after `online`, the resume restarts ICE and the pairs
 * move to that network a few seconds later): it is not probed again.
 */
const FRESH_CONNECTION_MS = 10_000;

/**
 * Runs one call: joins through the signaling client, keeps one PeerSession
 * per remote peer, puts the local tracks on every sender, reacts to what the
 * server says, and survives a dropped signaling connection by resuming.
 * Leaving is seen at once: a closed tab (pagehide) or leaving the page says
 * `leave` and disconnects instead of waiting out the server's resume grace.
 * Everything it registers (socket handlers, the reconnect and closed handlers,
 * the pagehide listener, timers) is registered once per call and removed when
 * the call ends or a join fails.
 */
@Injectable()
export class CallService {
  private readonly store = inject(CallStore);
  private readonly media = inject(LocalMediaService);
  private readonly signaling = inject(SignalingClient);
  private readonly identity = inject(IdentityStore);
  private readonly createPeerConnection = inject(PEER_CONNECTION_FACTORY);
  private readonly createMediaStream = inject(MEDIA_STREAM_FACTORY);
  private readonly onPageHide = inject(ON_PAGE_HIDE);
  private readonly onNetworkChange = inject(ON_NETWORK_CHANGE);
  /** This browser makes the first offer and every ICE restart of its pairs (ice-control.ts). */
  private readonly offersFirst = inject(OFFERS_FIRST);
  private readonly sessions = new PeerSessions((peerId, initiator) => this.createSession(peerId, initiator));
  private readonly speaker = new SpeakerDetection({
    sample: async () =>
      new Map(await Promise.all(this.sessions.all().map(async (session) => [session.peerId, await session.audioLevel()] as const))),
    onSpeaker: (peerId) => this.store.setActiveSpeaker(peerId),
  });
  private readonly quality = inject(QualityStore);
  private readonly uplink = new UplinkGovernor();
  private readonly rampUp = new ConnectionRampUp();
  private readonly monitor = new QualityMonitor({
    links: () => this.monitoredLinks(),
    visibility: inject(PAGE_VISIBILITY),
    onLinks: (views) => this.linksMeasured(views),
    onSamples: (samples) => void this.sendQualitySamples(samples),
    sendCapBps: () => this.sendLimits?.maxBitrate,
  });
  private sendLimits: SendLimits | undefined;
  private configuration: RTCConfiguration = {};
  private upstreamBudget: number | undefined;
  private resume: { peerId: string; token: string } | undefined;
  private joinOptions: JoinOptions | undefined;
  /** What listen() registered; empty while not listening. */
  private subscriptions: Unsubscribe[] = [];
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;
  private probingSignaling = false;
  /** The join request this browser waits on, while the host has not answered it. */
  private waitingFor: string | undefined;

  constructor() {
    // Whatever the local tracks become (camera on/off, screen share, a new device), every peer gets it.
    effect(() => {
      const video = this.media.outgoingVideo();
      const audio = this.media.outgoingAudio();
      for (const session of this.sessions.all()) {
        void session.setTrack('video', video);
        void session.setTrack('audio', audio);
      }
    });
    // And the others see what is on.
    effect(() => {
      const state = this.mediaState();
      if (this.store.phase() === 'in-call') void this.signaling.send('media-state', state);
    });
    // Leaving the meeting page ends the call and gives up the seat, whichever of the two is destroyed first.
    inject(DestroyRef).onDestroy(() => {
      this.signaling.depart();
      this.teardown();
    });
  }

  mediaState(): MediaState {
    return { audio: this.media.micOn(), video: this.media.cameraOn(), screen: this.media.sharing() };
  }

  /**
   * Opens the signaling connection while the person is still in the lobby,
   * so Join does not wait for the handshake. A failure here is silent: Join
   * tries again and says so if it fails too.
   */
  warmUp(): void {
    this.signaling.connect().catch(() => undefined);
  }

  async join(options: JoinOptions): Promise<void> {
    this.joinOptions = options;
    this.store.setError(null);
    this.store.setPhase('joining');
    try {
      await this.signaling.connect();
    } catch {
      this.store.setError('network');
      this.store.setPhase('lobby');
      return;
    }
    this.listen();
    await this.enter(options);
  }

  /**
   * Sends the join and follows its answer: in the call, waiting for the host
   * (an `ask` room), or refused. Also what an admitted guest does, at once
   * and without a click: the same join again, now with the identity the
   * server admitted.
   */
  private async enter(options: JoinOptions): Promise<void> {
    const ack = await this.signaling.join(this.joinRequest(options));
    // Left the lobby (or the page) while the server answered.
    if (this.joinOptions !== options || (this.store.phase() !== 'joining' && this.store.phase() !== 'waiting')) return;
    if (!ack.ok) {
      this.stopListening();
      this.signaling.close();
      this.store.resetCallState();
      // Removed from this meeting earlier: the removed page, not a lobby inviting another try.
      if (ack.error.code === 'REMOVED') return this.store.setPhase('removed');
      this.store.setError(ack.error.code);
      this.store.setPhase('lobby');
      return;
    }
    this.identity.name = options.name;
    if ('waiting' in ack) return this.wait(ack);
    this.identity.identity = ack.self.identity;
    this.start(ack, options.name);
  }

  /** Asked to join an `ask` room: the lobby shows the wait; `admitted` or `join-denied` ends it. */
  private wait(ack: JoinWaiting): void {
    // The admission is for this identity: the join after `admitted` must carry it.
    this.identity.identity = ack.identity;
    this.waitingFor = ack.waiting.requestId;
    this.store.setHostPresent(ack.waiting.hostPresent);
    this.store.setPhase('waiting');
  }

  /** The host let this guest in: join again at once (the server kept the admission for this identity). */
  private admitted(requestId: string): void {
    const options = this.joinOptions;
    if (this.store.phase() !== 'waiting' || requestId !== this.waitingFor || !options) return;
    void this.enter(options);
  }

  /** Not let in: the host said no (its own page), or the request ended otherwise (the lobby says why). */
  private notAdmitted({ requestId, reason }: JoinDenied): void {
    if (this.store.phase() !== 'waiting' || requestId !== this.waitingFor) return;
    this.stopListening();
    this.signaling.close();
    this.store.resetCallState();
    if (reason === 'denied') return this.store.setPhase('denied');
    if (reason === 'ended') return this.store.setPhase('ended');
    this.store.setError(reason === 'locked' ? 'ROOM_LOCKED' : 'request-expired');
    this.store.setPhase('lobby');
    this.warmUp();
  }

  /** The waiting guest gives up: the request is withdrawn (`leave`) and the lobby is back, ready to join again. */
  async cancelWaiting(): Promise<void> {
    if (this.store.phase() !== 'waiting') return;
    this.store.setPhase('lobby');
    this.joinOptions = undefined;
    this.waitingFor = undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const patience = new Promise((resolve) => (timer = setTimeout(resolve, LEAVE_ACK_WAIT_MS)));
    await Promise.race([this.signaling.send('leave'), patience]);
    clearTimeout(timer);
    this.stopListening();
    this.signaling.close();
    this.store.resetCallState();
    this.warmUp();
  }

  async leave(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const patience = new Promise((resolve) => (timer = setTimeout(resolve, LEAVE_ACK_WAIT_MS)));
    await Promise.race([this.signaling.send('leave'), patience]);
    clearTimeout(timer);
    // Chose to leave: the page after says so, not an earlier banner's error.
    this.store.setError(null);
    this.finish('left');
  }

  async toggleMic(): Promise<void> {
    await this.media.toggleMic();
  }

  async toggleCamera(): Promise<void> {
    await this.media.toggleCamera();
  }

  async toggleScreenShare(): Promise<boolean> {
    if (this.media.sharing()) {
      this.media.stopScreenShare();
      return true;
    }
    return this.media.startScreenShare();
  }

  async sendChat(text: string): Promise<boolean> {
    return (await this.signaling.send('chat', { text })).ok;
  }

  /** Who may join from now on; everyone's view follows the server's `room-updated`. */
  async setAccess(access: Access): Promise<void> {
    const ack = await this.signaling.send('host:access', { access });
    if (ack.ok) this.store.setAccess(access);
    else this.store.setError(ack.error.code);
  }

  async admit(requestId: string): Promise<void> {
    await this.answerRequest('host:admit', requestId);
  }

  async deny(requestId: string): Promise<void> {
    await this.answerRequest('host:deny', requestId);
  }

  async admitAll(): Promise<void> {
    const ack = await this.signaling.send('host:admit-all');
    if (ack.ok) this.store.setJoinRequests([]);
    else this.store.setError(ack.error.code);
  }

  /** Asks one guest's browser to turn its microphone off (only they can turn it on again). */
  async mutePeer(peerId: string): Promise<void> {
    const ack = await this.signaling.send('host:mute', { peerId });
    if (!ack.ok) this.store.setError(ack.error.code);
  }

  /** The same, for everyone but the host. */
  async muteAll(): Promise<void> {
    const ack = await this.signaling.send('host:mute-all');
    if (!ack.ok) this.store.setError(ack.error.code);
  }

  async removePeer(peerId: string): Promise<void> {
    const ack = await this.signaling.send('host:remove', { peerId });
    if (!ack.ok) this.store.setError(ack.error.code);
  }

  async endMeeting(): Promise<void> {
    const ack = await this.signaling.send('host:end');
    if (!ack.ok) this.store.setError(ack.error.code);
  }

  /**
   * Admit or deny: off the host's list at once. Another host who answered
   * first (PEER_NOT_FOUND) is no error to show: the list follows the server's.
   */
  private async answerRequest(event: 'host:admit' | 'host:deny', requestId: string): Promise<void> {
    const ack = await this.signaling.send(event, { requestId });
    if (ack.ok || ack.error.code === 'PEER_NOT_FOUND') this.store.setJoinRequests(this.store.joinRequests().filter((request) => request.requestId !== requestId));
    else this.store.setError(ack.error.code);
  }

  /** The host muted this person: the microphone goes off (and the others see it), and the notice says who. */
  private mutedByHost(by: string): void {
    if (this.store.phase() !== 'in-call') return;
    void this.media.setMicEnabled(false);
    this.store.setMutedBy(by);
  }

  /**
   * Low-bandwidth mode: stop receiving everyone's video (audio keeps going,
   * tiles show names), or receive it again. Each connection renegotiates its
   * video `sendonly`, so the others stop sending it (peer-session.ts).
   */
  setLowBandwidth(on: boolean): void {
    this.quality.setLowBandwidth(on);
    for (const session of this.sessions.all()) session.updateVideoDirection();
  }

  /** For tests and diagnostics: the peer connection to a peer. */
  connectionTo(peerId: string): RTCPeerConnection | undefined {
    return this.sessions.get(peerId)?.connection;
  }

  private start(ack: JoinSuccess, name: string): void {
    this.configuration = { iceServers: ack.iceServers, iceTransportPolicy: ack.iceTransportPolicy };
    this.upstreamBudget = ack.upstreamBudgetBps;
    this.resume = { peerId: ack.self.peerId, token: ack.self.resumeToken };
    this.store.joined({ ...ack.self, name }, ack.room, ack.peers);
    // We are the newcomer: the others offer, we answer (and are the polite one), unless we offer first.
    for (const peer of ack.peers) this.openSession(peer.peerId, this.offersFirst);
    this.applySendLimits();
    this.speaker.start();
    this.monitor.start();
  }

  /** Registers the call's handlers, once per call (a second call is a no-op until stopListening). */
  private listen(): void {
    if (this.subscriptions.length) return;
    this.subscriptions = [
      this.signaling.on('peer-joined', (peer) => this.peerJoined(peer)),
      this.signaling.on('peer-left', ({ peerId }) => {
        this.sessions.close(peerId);
        this.store.removePeer(peerId);
        this.applySendLimits();
      }),
      this.signaling.on('signal', ({ from, data }) => this.sessions.deliver(from, data)),
      // Their signaling dropped and came back: what was sent meanwhile is lost, the pair renegotiates.
      this.signaling.on('peer-resumed', ({ peerId }) => this.sessions.get(peerId)?.pathResumed()),
      this.signaling.on('peer-media-state', ({ peerId, ...media }) => this.store.updatePeer(peerId, { media })),
      this.signaling.on('chat-message', (message) => this.store.addChat(message)),
      this.signaling.on('room-updated', ({ access }) => this.store.setAccess(access)),
      this.signaling.on('join-requests', ({ requests }) =>
        this.store.setJoinRequests(requests.map(({ requestId, name }) => ({ requestId, name }))),
      ),
      this.signaling.on('admitted', ({ requestId }) => this.admitted(requestId)),
      this.signaling.on('join-denied', (denied) => this.notAdmitted(denied)),
      this.signaling.on('host-presence', ({ present }) => this.store.setHostPresent(present)),
      this.signaling.on('muted-by-host', ({ by }) => this.mutedByHost(by)),
      this.signaling.on('removed', () => this.finish('removed')),
      this.signaling.on('room-ended', () => this.finish('ended')),
      this.signaling.onReconnect(() => void this.rejoin()),
      this.signaling.onClosed((closing) => this.closedByServer(closing)),
      this.onPageHide(() => this.departNow()),
      // The browser knows the path changed: a new signaling connection at once, and on its
      // resume every pair renegotiates (restarting ICE on the old socket would send offers nowhere).
      this.onNetworkChange(() => this.signaling.reconnectNow()),
    ];
  }

  /** The tab is closing or going to another page: nothing can be awaited, so the leave is not acked. */
  private departNow(): void {
    this.signaling.leaveAndClose();
    this.finish('left');
  }

  /**
   * The server closed the connection on purpose (a flood, for instance): the
   * call is over and the page after it says why. While joining, the join's own
   * answer carries the reason instead.
   */
  private closedByServer(closing: Closing | undefined): void {
    if (this.store.phase() === 'waiting') {
      this.stopListening();
      this.store.resetCallState();
      this.store.setError(closing?.code ?? 'network');
      return this.store.setPhase('lobby');
    }
    if (this.store.phase() !== 'in-call') return;
    if (closing?.code === 'REMOVED') return this.finish('removed');
    this.store.setError(closing?.code ?? 'network');
    this.finish('left');
  }

  private stopListening(): void {
    for (const unsubscribe of this.subscriptions) unsubscribe();
    this.subscriptions = [];
  }

  private peerJoined(peer: PeerInfo): void {
    this.store.addPeer(peer);
    // We were here first: we create the connection and offer, unless the newcomer offers first.
    this.openSession(peer.peerId, !peer.offersFirst);
    this.applySendLimits();
  }

  /**
   * The signaling connection came back. Resume (same peer id; the others see
   * only `peer-resumed`) keeps every peer connection; a fresh join starts them over.
   */
  private async rejoin(attempt = 0): Promise<void> {
    const options = this.joinOptions;
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = undefined;
    // Waiting: the same join again finds the same request (one per identity), and its answer says what now.
    if (options && this.store.phase() === 'waiting') return this.enter(options);
    if (!options || this.store.phase() !== 'in-call') return;
    const ack = await this.signaling.join(this.joinRequest(options, this.resume));
    // Left, removed or ended while the server answered: the answer is for a call that is over.
    if (this.store.phase() !== 'in-call') return;
    if (!ack.ok) {
      if (ack.error.code === 'ROOM_ENDED') return this.finish('ended');
      if (ack.error.code === 'REMOVED') return this.finish('removed');
      if (ack.error.code === 'UNAVAILABLE' && attempt < MAX_REJOIN_RETRIES) {
        this.rejoinTimer = setTimeout(() => void this.rejoin(attempt + 1), 2000 * (attempt + 1));
        return;
      }
      this.store.setError(ack.error.code);
      return this.finish('left');
    }
    if ('waiting' in ack) {
      // Back on a fresh seat in a room that now asks: out of the call, waiting like anyone (rare: resume failed).
      this.speaker.stop();
      this.sessions.closeSessions();
      return this.wait(ack);
    }
    this.configuration = { iceServers: ack.iceServers, iceTransportPolicy: ack.iceTransportPolicy };
    if (ack.self.resumed) {
      const present = new Set(ack.peers.map((peer) => peer.peerId));
      for (const peerId of this.sessions.peerIds()) {
        if (!present.has(peerId)) {
          this.sessions.close(peerId);
          this.store.removePeer(peerId);
        }
      }
      for (const peer of ack.peers) {
        if (this.sessions.has(peer.peerId)) {
          this.store.updatePeer(peer.peerId, { media: peer.media });
          // Signals sent while we were away are lost, and a path that still says `connected`
          // may be gone (a new network): every pair renegotiates, one side offering.
          this.sessions.get(peer.peerId)?.pathResumed();
        } else {
          // They joined while we were away and expect the offer from us, the earlier member.
          this.peerJoined(peer);
        }
      }
      void this.signaling.send('media-state', this.mediaState());
    } else {
      this.sessions.closeSessions();
      this.start(ack, options.name);
    }
  }

  private joinRequest(options: JoinOptions, resume?: JoinRequest['resume']): JoinRequest {
    return {
      roomId: options.roomId,
      name: options.name,
      identity: this.identity.identity,
      hostKey: options.hostKey,
      media: this.mediaState(),
      ...(this.offersFirst ? { offersFirst: true } : {}),
      resume,
    };
  }

  private openSession(peerId: string, initiator: boolean): void {
    const session = this.sessions.open(peerId, initiator);
    this.store.updatePeer(peerId, { stream: session.stream });
  }

  private createSession(peerId: string, initiator: boolean): PeerSession {
    const session: PeerSession = new PeerSession({
      peerId,
      initiator,
      // The side that makes the first offer is the impolite one of the pair.
      polite: !initiator,
      ownsIceRestarts: initiator && this.offersFirst,
      // A Firefox peer that offered first owns the pair's restarts: we ask it instead of offering (ice-control.ts).
      remoteOwnsIceRestarts: !initiator && this.store.peers().some((peer) => peer.peerId === peerId && peer.offersFirst === true),
      configuration: this.configuration,
      createPeerConnection: this.createPeerConnection,
      createMediaStream: this.createMediaStream,
      sendSignal: (data) => this.signaling.signal({ to: peerId, data }),
      localTracks: () => ({ audio: this.media.outgoingAudio(), video: this.media.outgoingVideo() }),
      receiveVideo: () => !this.quality.lowBandwidth(),
      onStream: (stream) => this.store.updatePeer(peerId, { stream }),
      onHealth: (health, failure) => {
        this.store.updatePeer(peerId, { health, failure: failure ?? undefined });
        if (health === 'reconnecting') this.checkSignalingIfAllBroke();
      },
      // ICE moved us to another network by itself (a second network came up, then the first went:
      // the browser may fire no event), and the signaling socket may be bound to the address that went.
      onLocalPathChange: () => this.localPathMoved(),
      // No code is shown rather than a wrong one (no Web Crypto); a session replaced meanwhile is not this pair's any more.
      onFingerprints: (fingerprints) =>
        void securityCode(fingerprints).then(
          (code) => {
            if (this.sessions.get(peerId) === session) this.store.updatePeer(peerId, { securityCode: code });
          },
          () => undefined,
        ),
    });
    return session;
  }

  /**
   * ICE moved our end of a path to another network by itself. The signaling
   * connection may be bound to the address that went (no event told us), so
   * it is probed, briefly, unless it was made after the move began.
   */
  private localPathMoved(): void {
    const since = this.signaling.connectedSince;
    if (since !== undefined && Date.now() - since < FRESH_CONNECTION_MS) return;
    void this.checkSignaling(PATH_CHANGE_PROBE_MS);
  }

  /** Every pair reconnecting at once points at our own network rather than someone else's. */
  private checkSignalingIfAllBroke(): void {
    if (this.sessions.all().every((session) => session.currentHealth === 'reconnecting')) void this.checkSignaling();
  }

  /**
   * ICE to everyone broke. If the signaling connection is dead too, it was our
   * own network that changed (a phone's Wi-Fi went while 4G stayed: the
   * browser fires no event): reconnect now rather than at the ping timeout,
   * so the pairs can renegotiate. The probe is a `media-state`, which the
   * server answers and which changes nothing.
   */
  private async checkSignaling(timeoutMs = SIGNALING_PROBE_MS): Promise<void> {
    if (this.probingSignaling || this.store.phase() !== 'in-call') return;
    this.probingSignaling = true;
    // A reconnect that completed meanwhile answered the question: its connection is new.
    const connection = this.signaling.connections;
    try {
      const ack = await this.signaling.sendWithin(timeoutMs, 'media-state', this.mediaState());
      const unanswered = !ack.ok && ack.error.code === 'UNAVAILABLE';
      if (unanswered && this.store.phase() === 'in-call' && this.signaling.connections === connection) {
        console.warn('signaling: no answer to a probe, reconnecting', { timeoutMs });
        this.signaling.reconnectNow();
      }
    } finally {
      this.probingSignaling = false;
    }
  }

  private applySendLimits(): void {
    const room = sendLimitsFor(this.sessions.size, this.upstreamBudget);
    this.sendLimits = room;
    const limits = steppedDown(room, this.uplink.current);
    for (const session of this.sessions.all()) void session.applySendLimits(limits);
  }

  private monitoredLinks() {
    const peers = new Map(this.store.peers().map((peer) => [peer.peerId, peer]));
    return this.sessions.all().map((session) => {
      const media = peers.get(session.peerId)?.media;
      return {
        peerId: session.peerId,
        connection: session.connection,
        videoExpected: !!media && (media.video || media.screen) && !this.quality.lowBandwidth(),
        health: session.currentHealth,
      };
    });
  }

  /** Each round of measurements: the tiles' levels, and our own video stepped down (or up) when our uplink or CPU limits it. */
  private linksMeasured(views: ReadonlyMap<string, LinkView>): void {
    this.quality.setLinks(views);
    const health = new Map(this.sessions.all().map((session) => [session.peerId, session.currentHealth]));
    const settled = this.rampUp.settled(health, Date.now());
    const limitation = worstLimitation(
      [...views].map(([peerId, view]) => {
        const reason = networkLimitation(view.stats, this.sendLimits?.maxBitrate);
        // A link's estimate still ramping up says `bandwidth` about no network at all (quality/ramp-up.ts).
        return reason === 'bandwidth' && !settled.has(peerId) ? 'none' : reason;
      }),
    );
    if (this.uplink.observe(limitation, Date.now())) this.applySendLimits();
    this.quality.setUplinkLimitedBy(this.uplink.limitedBy);
  }

  /** To the server for the host's report; links of people who left meanwhile are left out (the server would refuse the message). */
  private async sendQualitySamples(samples: QualitySample[]): Promise<void> {
    if (this.store.phase() !== 'in-call') return;
    const present = new Set(this.store.peers().map((peer) => peer.peerId));
    const kept = samples.filter((sample) => present.has(sample.peerId));
    if (kept.length === 0) return;
    const ack = await this.signaling.send('quality', { samples: kept });
    if (!ack.ok) console.warn('quality: samples refused', { code: ack.error.code });
  }

  private finish(phase: 'left' | 'removed' | 'ended'): void {
    this.teardown();
    this.store.resetCallState();
    this.store.setPhase(phase);
  }

  /** Leaving stops every local track, closes every connection and removes every handler and timer. */
  private teardown(): void {
    this.speaker.stop();
    this.monitor.stop();
    this.quality.reset();
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = undefined;
    this.sessions.clear();
    this.media.stopAll();
    this.stopListening();
    this.signaling.close();
  }
}
