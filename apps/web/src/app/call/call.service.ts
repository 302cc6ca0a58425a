import { DestroyRef, Injectable, effect, inject } from '@angular/core';
import type { Closing, JoinRequest, JoinSuccess, MediaState, PeerInfo, QualitySample } from '@mesh-meet/protocol';
import { MEDIA_STREAM_FACTORY, PAGE_VISIBILITY, PEER_CONNECTION_FACTORY, ON_PAGE_HIDE } from '../core/browser.tokens';
import { IdentityStore } from '../core/identity.store';
import { CallStore } from './call.store';
import { LocalMediaService } from './local-media.service';
import { PeerSession } from './peer-session';
import { PeerSessions } from './peer-sessions';
import { QualityMonitor, type LinkView } from './quality/quality-monitor';
import { QualityStore } from './quality/quality.store';
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
  private readonly sessions = new PeerSessions((peerId, initiator) => this.createSession(peerId, initiator));
  private readonly speaker = new SpeakerDetection({
    sample: async () =>
      new Map(await Promise.all(this.sessions.all().map(async (session) => [session.peerId, await session.audioLevel()] as const))),
    onSpeaker: (peerId) => this.store.setActiveSpeaker(peerId),
  });
  private readonly quality = inject(QualityStore);
  private readonly uplink = new UplinkGovernor();
  private readonly monitor = new QualityMonitor({
    links: () => this.monitoredLinks(),
    visibility: inject(PAGE_VISIBILITY),
    onLinks: (views) => this.linksMeasured(views),
    onSamples: (samples) => void this.sendQualitySamples(samples),
  });
  private sendLimits: SendLimits | undefined;
  private configuration: RTCConfiguration = {};
  private upstreamBudget: number | undefined;
  private resume: { peerId: string; token: string } | undefined;
  private joinOptions: JoinOptions | undefined;
  /** What listen() registered; empty while not listening. */
  private subscriptions: Unsubscribe[] = [];
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;

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
    const ack = await this.signaling.join(this.joinRequest(options));
    if (!ack.ok) {
      this.stopListening();
      this.signaling.close();
      // Removed from this meeting earlier: the removed page, not a lobby inviting another try.
      if (ack.error.code === 'REMOVED') return this.store.setPhase('removed');
      this.store.setError(ack.error.code);
      this.store.setPhase('lobby');
      return;
    }
    this.identity.identity = ack.self.identity;
    this.identity.name = options.name;
    this.start(ack, options.name);
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

  async setLocked(locked: boolean): Promise<void> {
    const ack = await this.signaling.send('host:lock', { locked });
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
    // We are the newcomer: the others offer, we answer (and are the polite one).
    for (const peer of ack.peers) this.openSession(peer.peerId, false);
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
      this.signaling.on('peer-media-state', ({ peerId, ...media }) => this.store.updatePeer(peerId, { media })),
      this.signaling.on('chat-message', (message) => this.store.addChat(message)),
      this.signaling.on('room-updated', ({ locked }) => this.store.setLocked(locked)),
      this.signaling.on('removed', () => this.finish('removed')),
      this.signaling.on('room-ended', () => this.finish('ended')),
      this.signaling.onReconnect(() => void this.rejoin()),
      this.signaling.onClosed((closing) => this.closedByServer(closing)),
      this.onPageHide(() => this.departNow()),
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
    // We were here first: we create the connection and offer; the newcomer is polite.
    this.openSession(peer.peerId, true);
    this.applySendLimits();
  }

  /**
   * The signaling connection came back. Resume (same peer id, the others saw
   * nothing) keeps every peer connection; a fresh join starts them over.
   */
  private async rejoin(attempt = 0): Promise<void> {
    const options = this.joinOptions;
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = undefined;
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
          const session = this.sessions.get(peer.peerId);
          // Signals sent while we were away are lost: restart ICE where the path is not healthy.
          if (session && session.currentHealth !== 'connected') session.restartIce();
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
      polite: !initiator,
      configuration: this.configuration,
      createPeerConnection: this.createPeerConnection,
      createMediaStream: this.createMediaStream,
      sendSignal: (data) => this.signaling.signal({ to: peerId, data }),
      localTracks: () => ({ audio: this.media.outgoingAudio(), video: this.media.outgoingVideo() }),
      receiveVideo: () => !this.quality.lowBandwidth(),
      onStream: (stream) => this.store.updatePeer(peerId, { stream }),
      onHealth: (health, failure) => this.store.updatePeer(peerId, { health, failure: failure ?? undefined }),
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
    const limitation = worstLimitation([...views.values()].map((view) => networkLimitation(view.stats, this.sendLimits?.maxBitrate)));
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
