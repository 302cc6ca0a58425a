import type { SignalData } from '@mesh-meet/protocol';
import { FakeMediaStream, FakePeerConnection, FakeTrack } from '../../testing/fake-peer-connection';
import { type FailureReason, type PeerHealth, PeerSession, type PeerSessionOptions } from './peer-session';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function session(overrides: Partial<PeerSessionOptions> = {}) {
  const sent: SignalData[] = [];
  const health: PeerHealth[] = [];
  const reports: Array<[PeerHealth, FailureReason | null]> = [];
  const tracks = { audio: new FakeTrack('audio'), video: new FakeTrack('video') as FakeTrack | null };
  const peer = new PeerSession({
    peerId: 'remote-peer-1',
    polite: false,
    initiator: true,
    configuration: { iceServers: [] },
    createPeerConnection: (configuration) => new FakePeerConnection(configuration) as unknown as RTCPeerConnection,
    createMediaStream: () => new FakeMediaStream() as unknown as MediaStream,
    sendSignal: (data) => sent.push(data),
    localTracks: () => tracks as unknown as { audio: MediaStreamTrack; video: MediaStreamTrack | null },
    onHealth: (state, failure) => {
      health.push(state);
      reports.push([state, failure]);
    },
    disconnectedGraceMs: 10,
    ...overrides,
  });
  const pc = peer.connection as unknown as FakePeerConnection;
  // As a browser does: restartIce() makes the connection need a (restart) offer.
  pc.restartIce.mockImplementation(() => {
    void Promise.resolve().then(() => pc.onnegotiationneeded?.());
    return pc.calls.push('restartIce');
  });
  return { peer, pc, sent, health, reports, tracks };
}

describe('PeerSession', () => {
  afterEach(() => jest.useRealTimers());

  it('as the member already in the room, creates sendrecv audio and video with the local tracks and offers', async () => {
    const { pc, sent, tracks } = session();
    expect(pc.transceivers.map((t) => [t.receiver.track.kind, t.direction])).toEqual([
      ['audio', 'sendrecv'],
      ['video', 'sendrecv'],
    ]);
    await flush();
    expect(pc.transceivers[0].sender.track).toBe(tracks.audio);
    expect(pc.transceivers[1].sender.track).toBe(tracks.video);
    pc.onnegotiationneeded?.();
    await flush();
    expect(sent).toEqual([{ description: { type: 'offer', sdp: 'offer-1' } }]);
  });

  it('reports how loud the peer was since it last asked, from the audio receiver only', async () => {
    const { peer, pc } = session();
    const [audio, video] = pc.transceivers;
    video.receiver.inboundAudio = { totalAudioEnergy: 100, totalSamplesDuration: 1 };
    audio.receiver.inboundAudio = { totalAudioEnergy: 0.5, totalSamplesDuration: 10 };
    expect(await peer.audioLevel()).toBe(0);
    // 0.1 s at level 0.5 within 0.4 s: RMS 0.25.
    audio.receiver.inboundAudio = { totalAudioEnergy: 0.525, totalSamplesDuration: 10.4 };
    expect(await peer.audioLevel()).toBeCloseTo(0.25);
    peer.close();
    expect(await peer.audioLevel()).toBe(0);
  });

  it('creates the transceivers even without a camera, so turning it on later needs no renegotiation', async () => {
    const { pc, peer, tracks } = session();
    tracks.video = null;
    const later = new FakeTrack('video');
    await peer.setTrack('video', later as unknown as MediaStreamTrack);
    expect(pc.transceivers[1].sender.track).toBe(later);
    expect(pc.calls.filter((call) => call.startsWith('setLocalDescription'))).toEqual([]);
  });

  it('as the newcomer, answers an offer on the offered transceivers, made sendrecv with its tracks', async () => {
    const { pc, peer, sent, tracks } = session({ initiator: false, polite: true });
    expect(pc.transceivers).toEqual([]);
    await peer.handleSignal({ description: { type: 'offer', sdp: 'remote-offer' } });
    expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv']);
    expect(pc.transceivers[0].sender.track).toBe(tracks.audio);
    expect(pc.transceivers[1].sender.track).toBe(tracks.video);
    expect(sent).toEqual([{ description: { type: 'answer', sdp: 'answer-0' } }]);
    expect(peer.stream.getTracks()).toHaveLength(2);
  });

  describe('low-bandwidth mode', () => {
    it('asks for no video: the first offer’s video is sendonly, audio stays sendrecv', () => {
      const { pc } = session({ receiveVideo: () => false });
      expect(pc.transceivers.map((t) => [t.receiver.track.kind, t.direction])).toEqual([
        ['audio', 'sendrecv'],
        ['video', 'sendonly'],
      ]);
    });

    it('answers an offer with its video sendonly while the mode is on', async () => {
      const { pc, peer } = session({ initiator: false, polite: true, receiveVideo: () => false });
      await peer.handleSignal({ description: { type: 'offer', sdp: 'remote-offer' } });
      expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendonly']);
    });

    it('turns an open connection’s video sendonly and back, which renegotiates (negotiationneeded in a browser)', () => {
      let receive = true;
      const { pc, peer } = session({ receiveVideo: () => receive });
      receive = false;
      peer.updateVideoDirection();
      expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendonly']);
      receive = true;
      peer.updateVideoDirection();
      expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv']);
      peer.close();
      receive = false;
      peer.updateVideoDirection();
      expect(pc.transceivers[1].direction).toBe('sendrecv');
    });
  });

  it('queues candidates until the remote description is set, answers, then adds them in order', async () => {
    const { pc, peer, sent } = session({ initiator: false, polite: true });
    const candidate = { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    await peer.handleSignal({ candidate });
    await peer.handleSignal({ candidate: null });
    expect(pc.addIceCandidate).not.toHaveBeenCalled();
    await peer.handleSignal({ description: { type: 'offer', sdp: 'o' } });
    expect(pc.calls.filter((call) => call.startsWith('addIce'))).toEqual(['addIceCandidate', 'addIceCandidate(end)']);
    expect(pc.calls.indexOf('setRemoteDescription(offer)')).toBeLessThan(pc.calls.indexOf('addIceCandidate'));
    // The answer is on its way before the queued candidates are added.
    expect(pc.calls.indexOf('setLocalDescription(answer)')).toBeLessThan(pc.calls.indexOf('addIceCandidate'));
    expect(sent).toEqual([{ description: { type: 'answer', sdp: 'answer-0' } }]);
  });

  it('sends its candidates and the end of candidates', () => {
    const { pc, sent } = session();
    pc.onicecandidate?.({
      candidate: { toJSON: () => ({ candidate: 'candidate:2', sdpMid: '1', sdpMLineIndex: 1, usernameFragment: 'u' }) },
    });
    pc.onicecandidate?.({ candidate: null });
    expect(sent).toEqual([
      { candidate: { candidate: 'candidate:2', sdpMid: '1', sdpMLineIndex: 1, usernameFragment: 'u' } },
      { candidate: null },
    ]);
  });

  it('as the impolite peer, ignores an offer that collides with its own', async () => {
    const { pc, peer, sent } = session({ polite: false });
    pc.onnegotiationneeded?.();
    await flush();
    await peer.handleSignal({ description: { type: 'offer', sdp: 'glare' } });
    expect(pc.calls).not.toContain('setRemoteDescription(offer)');
    expect(sent).toHaveLength(1);
    // Its own offer still gets answered.
    await peer.handleSignal({ description: { type: 'answer', sdp: 'a' } });
    expect(pc.signalingState).toBe('stable');
  });

  it('as the polite peer, rolls back its own offer and answers the colliding one', async () => {
    const { pc, peer, sent } = session({ polite: true });
    pc.onnegotiationneeded?.();
    await flush();
    await peer.handleSignal({ description: { type: 'offer', sdp: 'glare' } });
    expect(pc.calls).toContain('rollback');
    expect(sent.at(-1)).toEqual({ description: { type: 'answer', sdp: 'answer-1' } });
  });

  describe('owning the ICE restarts of the pair (a Firefox side, see ice-control.ts)', () => {
    /** A connected pair: our offer (ufrag `ours`) answered with ufrag `theirs-1`. */
    async function connectedOwner(owns: boolean) {
      const made = session({ ownsIceRestarts: owns });
      made.pc.onnegotiationneeded?.();
      await flush();
      await made.peer.handleSignal({ description: { type: 'answer', sdp: 'a=ice-ufrag:theirs-1\r\n' } });
      made.sent.length = 0;
      made.pc.calls.length = 0;
      return made;
    }

    it('meets an ICE-restart offer from the other side with its own restart offer instead of answering', async () => {
      const { pc, peer, sent } = await connectedOwner(true);
      await peer.handleSignal({ description: { type: 'offer', sdp: 'a=ice-ufrag:theirs-2\r\n' } });
      await flush();
      expect(pc.calls).not.toContain('setRemoteDescription(offer)');
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
      expect(sent).toEqual([{ description: { type: 'offer', sdp: 'offer-2' } }]);
    });

    it('still answers an offer that keeps the ICE credentials', async () => {
      const { pc, peer, sent } = await connectedOwner(true);
      await peer.handleSignal({ description: { type: 'offer', sdp: 'a=ice-ufrag:theirs-1\r\n' } });
      expect(pc.restartIce).not.toHaveBeenCalled();
      expect(sent).toEqual([{ description: { type: 'answer', sdp: 'answer-1' } }]);
    });

    it('without owning them, answers an ICE-restart offer as before', async () => {
      const { pc, peer, sent } = await connectedOwner(false);
      await peer.handleSignal({ description: { type: 'offer', sdp: 'a=ice-ufrag:theirs-2\r\n' } });
      expect(pc.restartIce).not.toHaveBeenCalled();
      expect(sent).toEqual([{ description: { type: 'answer', sdp: 'answer-1' } }]);
    });

    it('restarts ICE with its own offer when the other side asks for it', async () => {
      const { pc, peer, sent } = await connectedOwner(true);
      await peer.handleSignal({ restartIce: true });
      await flush();
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
      expect(sent).toEqual([{ description: { type: 'offer', sdp: 'offer-2' } }]);
    });

    it('counts requests that come closer together than 2 s as one, so a peer that keeps asking cannot keep the pair renegotiating', async () => {
      const { pc, peer, sent } = await connectedOwner(true);
      jest.useFakeTimers();
      for (let request = 0; request < 5; request += 1) await peer.handleSignal({ restartIce: true });
      await Promise.resolve();
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
      expect(sent).toEqual([{ description: { type: 'offer', sdp: 'offer-2' } }]);
      // Asked again later (its watch ran out): our restart offer is still unanswered, so it goes again.
      jest.advanceTimersByTime(2000);
      await peer.handleSignal({ restartIce: true });
      expect(sent).toEqual([
        { description: { type: 'offer', sdp: 'offer-2' } },
        { description: { type: 'offer', sdp: 'offer-2' } },
      ]);
    });

    it('answers a request by sending again its own offer still unanswered (the one the other side may have missed), not a second restart', async () => {
      const { pc, peer, sent } = await connectedOwner(true);
      pc.onnegotiationneeded?.();
      await flush();
      expect(pc.signalingState).toBe('have-local-offer');
      sent.length = 0;
      await peer.handleSignal({ restartIce: true });
      expect(pc.restartIce).not.toHaveBeenCalled();
      expect(sent).toEqual([{ description: { type: 'offer', sdp: 'offer-2' } }]);
    });
  });

  describe('when the other side owns the ICE restarts (a Chromium side toward Firefox, see ice-control.ts)', () => {
    /** A connected pair where the other side made the first offer (ufrag `theirs-1`) and owns the restarts. */
    async function connectedAsker() {
      const made = session({ initiator: false, polite: true, remoteOwnsIceRestarts: true, maxIceRestarts: 2 });
      await made.peer.handleSignal({ description: { type: 'offer', sdp: 'a=ice-ufrag:theirs-1\r\n' } });
      made.pc.setIceState('connected');
      made.sent.length = 0;
      made.pc.calls.length = 0;
      return made;
    }

    it('asks the other side to restart ICE when it fails, instead of making a restart offer, on the same ladder and budget', async () => {
      jest.useFakeTimers();
      const { pc, sent, health } = await connectedAsker();
      pc.setIceState('failed');
      jest.advanceTimersByTime(0);
      expect(sent).toEqual([{ restartIce: true }]);
      // Nothing came of it: asked again after the watch and the backoff, then failed when the budget is spent.
      jest.advanceTimersByTime(8000 + 1000);
      expect(sent).toEqual([{ restartIce: true }, { restartIce: true }]);
      jest.advanceTimersByTime(8000);
      expect(health).toEqual(['connected', 'reconnecting', 'failed']);
      expect(pc.restartIce).not.toHaveBeenCalled();
      expect(pc.calls).not.toContain('setLocalDescription(offer)');
    });

    it('asks, rather than offers, when the path changed and the other side sent no fresh offer in time', async () => {
      jest.useFakeTimers();
      const { pc, peer, sent } = await connectedAsker();
      peer.pathResumed();
      jest.advanceTimersByTime(3000);
      expect(sent).toEqual([{ restartIce: true }]);
      expect(pc.restartIce).not.toHaveBeenCalled();
    });

    it("answers the other side's restart offer and is connected again", async () => {
      const { pc, peer, sent, health } = await connectedAsker();
      pc.setIceState('disconnected');
      await peer.handleSignal({ description: { type: 'offer', sdp: 'a=ice-ufrag:theirs-2\r\n' } });
      pc.setIceState('connected');
      expect(sent).toEqual([{ description: { type: 'answer', sdp: expect.any(String) } }]);
      expect(pc.calls).toContain('setRemoteDescription(offer)');
      expect(health.at(-1)).toBe('connected');
    });
  });

  it('does not complain about candidates of an offer it ignored', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { pc, peer } = session({ polite: false });
    pc.onnegotiationneeded?.();
    await flush();
    await peer.handleSignal({ description: { type: 'offer', sdp: 'glare' } });
    pc.remoteDescription = { type: 'offer' };
    pc.addIceCandidate.mockRejectedValueOnce(new Error('unknown ufrag'));
    await peer.handleSignal({ candidate: { candidate: 'candidate:3' } });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('restarts ICE when the connection fails, and gives up after the bounded retries', async () => {
    jest.useFakeTimers();
    const { pc, health } = session({ maxIceRestarts: 2 });
    pc.setIceState('connected');
    pc.setIceState('failed');
    jest.advanceTimersByTime(0);
    expect(pc.restartIce).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(8000); // still failed: the second attempt waits 1 s
    jest.advanceTimersByTime(1000);
    expect(pc.restartIce).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(8000);
    expect(health).toEqual(['connected', 'reconnecting', 'failed']);
  });

  it('waits out a short disconnection before restarting ICE', () => {
    jest.useFakeTimers();
    const { pc, health } = session({ disconnectedGraceMs: 4000 });
    pc.setIceState('connected');
    pc.setIceState('disconnected');
    jest.advanceTimersByTime(3000);
    pc.setIceState('connected');
    jest.advanceTimersByTime(5000);
    expect(pc.restartIce).not.toHaveBeenCalled();
    expect(health).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('applies send limits to the video encodings once there are any', async () => {
    const { pc, peer } = session();
    const sender = pc.transceivers[1].sender;
    await peer.applySendLimits({ maxBitrate: 500_000, scaleResolutionDownBy: 2, maxFramerate: 24 });
    expect(sender.setParameters).not.toHaveBeenCalled();
    sender.parameters = { encodings: [{}] };
    pc.setIceState('connected');
    await flush();
    expect(sender.parameters.encodings[0]).toEqual({ maxBitrate: 500_000, scaleResolutionDownBy: 2, maxFramerate: 24 });
  });

  it('sets the same limits only once, and new limits again', async () => {
    const { pc, peer } = session();
    const sender = pc.transceivers[1].sender;
    sender.parameters = { encodings: [{}] };
    const limits = { maxBitrate: 500_000, scaleResolutionDownBy: 2, maxFramerate: 24 };
    await peer.applySendLimits(limits);
    await peer.applySendLimits({ ...limits });
    pc.setIceState('connected');
    await flush();
    expect(sender.setParameters).toHaveBeenCalledTimes(1);
    await peer.applySendLimits({ maxBitrate: 300_000, scaleResolutionDownBy: 3, maxFramerate: 15 });
    expect(sender.setParameters).toHaveBeenCalledTimes(2);
    expect(sender.parameters.encodings[0]).toEqual({ maxBitrate: 300_000, scaleResolutionDownBy: 3, maxFramerate: 15 });
  });

  it('tries the limits again after the browser refused them', async () => {
    const { pc, peer } = session();
    const sender = pc.transceivers[1].sender;
    sender.parameters = { encodings: [{}] };
    sender.setParameters.mockRejectedValueOnce(new Error('InvalidModificationError'));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const limits = { maxBitrate: 500_000, scaleResolutionDownBy: 2, maxFramerate: 24 };
    await peer.applySendLimits(limits);
    await peer.applySendLimits(limits);
    expect(sender.setParameters).toHaveBeenCalledTimes(2);
    expect(sender.parameters.encodings[0]).toEqual(limits);
    warn.mockRestore();
  });

  it('answers an offer with a second video on the first audio and video only; the extra m-line is inactive and its track ignored', async () => {
    const { pc, peer, sent, tracks } = session({ initiator: false, polite: true });
    pc.offeredKinds = ['audio', 'video', 'video'];
    const offer = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n';
    await peer.handleSignal({ description: { type: 'offer', sdp: offer } });
    expect(pc.transceivers.map((t) => [t.receiver.track.kind, t.direction])).toEqual([
      ['audio', 'sendrecv'],
      ['video', 'sendrecv'],
      ['video', 'inactive'],
    ]);
    expect(pc.transceivers[2].sender.track).toBeNull();
    expect(peer.stream.getTracks()).toEqual([pc.transceivers[0].receiver.track, pc.transceivers[1].receiver.track]);
    expect(sent).toEqual([{ description: { type: 'answer', sdp: 'answer-0' } }]);
    // Later track changes go to the first video sender, not the extra one.
    await peer.setTrack('video', null);
    expect(pc.transceivers[1].sender.track).toBeNull();
    expect(tracks.video).not.toBeNull();
    peer.close();
  });

  describe('a description that cannot be applied', () => {
    beforeEach(() => {
      jest.useFakeTimers();
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => jest.restoreAllMocks());

    it('as the offerer, records the failure, rolls back, offers again with an ICE restart, and is connected once that answer applies', async () => {
      const { pc, peer, sent, reports } = session();
      pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(0);
      pc.setIceState('connected');
      pc.remoteDescriptionFailures = 1;
      await peer.handleSignal({ description: { type: 'answer', sdp: 'unusable' } });
      expect(pc.calls).toContain('setLocalDescription(rollback)');
      expect(pc.signalingState).toBe('stable');
      expect(peer.currentHealth).toBe('reconnecting');
      expect(peer.currentFailure).toBe('negotiation');
      // ICE saying "connected" does not hide that no media can flow.
      pc.setIceState('connected');
      expect(peer.currentHealth).toBe('reconnecting');

      await jest.advanceTimersByTimeAsync(0);
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
      expect(sent.at(-1)).toEqual({ description: { type: 'offer', sdp: 'offer-2' } });
      await peer.handleSignal({ description: { type: 'answer', sdp: 'fine' } });
      expect(reports).toEqual([
        ['connected', null],
        ['reconnecting', 'negotiation'],
        ['connected', null],
      ]);
      peer.close();
    });

    it('as the answerer, offers itself after the offer failed, with transceivers of its own, and shows the media once that round completes', async () => {
      const { pc, peer, sent, tracks } = session({ initiator: false, polite: true });
      pc.remoteDescriptionFailures = 1;
      await peer.handleSignal({ description: { type: 'offer', sdp: 'unusable' } });
      expect(peer.currentHealth).toBe('reconnecting');
      await jest.advanceTimersByTimeAsync(0);
      expect(pc.transceivers.map((t) => [t.receiver.track.kind, t.direction])).toEqual([
        ['audio', 'sendrecv'],
        ['video', 'sendrecv'],
      ]);
      expect(pc.transceivers[1].sender.track).toBe(tracks.video);
      expect(sent).toEqual([{ description: { type: 'offer', sdp: 'offer-1' } }]);
      await peer.handleSignal({ description: { type: 'answer', sdp: 'answer' } });
      pc.ontrack?.({ track: pc.transceivers[1].receiver.track, transceiver: pc.transceivers[1] });
      pc.setIceState('connected');
      expect(peer.currentHealth).toBe('connected');
      expect(peer.currentFailure).toBeNull();
      expect(peer.stream.getTracks()).toContain(pc.transceivers[1].receiver.track);
      peer.close();
    });

    it('sends a first offer nobody answers again, never rolling it back (a slow answer would never match a new one)', async () => {
      const { pc, peer, sent } = session({ answerTimeoutMs: 8000 });
      pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(8000);
      await jest.advanceTimersByTimeAsync(8000);
      expect(pc.calls).not.toContain('setLocalDescription(rollback)');
      expect(sent.filter((data) => 'description' in data)).toEqual([
        { description: { type: 'offer', sdp: 'offer-1' } },
        { description: { type: 'offer', sdp: 'offer-1' } },
        { description: { type: 'offer', sdp: 'offer-1' } },
      ]);
      await peer.handleSignal({ description: { type: 'answer', sdp: 'slow' } });
      expect(pc.signalingState).toBe('stable');
      peer.close();
    });

    it('treats a restart offer nobody answers as a failed negotiation and offers again', async () => {
      const { pc, peer, sent } = session({ answerTimeoutMs: 8000 });
      pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(0);
      await peer.handleSignal({ description: { type: 'answer', sdp: 'a' } });
      sent.length = 0;
      pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(7999);
      expect(peer.currentFailure).toBeNull();
      await jest.advanceTimersByTimeAsync(1);
      expect(pc.calls).toContain('setLocalDescription(rollback)');
      expect(peer.currentFailure).toBe('negotiation');
      // The first retry is immediate (a timer of 0 set while the clock was moving).
      await jest.advanceTimersByTimeAsync(1);
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
      expect(sent.filter((data) => 'description' in data)).toHaveLength(2);
      peer.close();
    });

    it('gives up after five tries, 1-2-4-8 s apart, and reports the pair failed for negotiation', async () => {
      const { pc, peer, reports } = session({ initiator: false, polite: true });
      pc.remoteDescriptionFailures = Number.POSITIVE_INFINITY;
      await peer.handleSignal({ description: { type: 'offer', sdp: 'unusable' } });
      const restartsAt: number[] = [];
      const started = Date.now();
      pc.restartIce.mockImplementation(() => {
        void Promise.resolve().then(() => pc.onnegotiationneeded?.());
        return restartsAt.push(Date.now() - started);
      });
      // Each restart offer gets an answer this side cannot apply either.
      for (let attempt = 0; attempt < 5; attempt++) {
        await jest.advanceTimersByTimeAsync(attempt === 0 ? 0 : 1000 * 2 ** (attempt - 1));
        await peer.handleSignal({ description: { type: 'answer', sdp: 'unusable' } });
      }
      expect(restartsAt).toEqual([0, 1000, 3000, 7000, 15000]);
      expect(peer.currentHealth).toBe('failed');
      expect(reports.at(-1)).toEqual(['failed', 'negotiation']);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(pc.restartIce).toHaveBeenCalledTimes(5);
      peer.close();
    });
  });

  describe('a pair that never connects', () => {
    beforeEach(() => jest.useFakeTimers());

    it('shows failed 30 s after its creation, blaming the missing TURN server when none is configured', () => {
      const { pc, peer, reports } = session();
      pc.setIceState('checking');
      jest.advanceTimersByTime(29_999);
      expect(peer.currentHealth).toBe('connecting');
      jest.advanceTimersByTime(1);
      expect(reports.at(-1)).toEqual(['failed', 'no-turn']);
      peer.close();
    });

    it('with a TURN server configured, blames the network instead', () => {
      const { pc, peer, reports } = session({
        configuration: { iceServers: [{ urls: ['stun:stun.example:3478'] }, { urls: 'turns:turn.example:5349', username: 'u', credential: 'c' }] },
      });
      pc.setIceState('checking');
      jest.advanceTimersByTime(30_000);
      expect(reports.at(-1)).toEqual(['failed', 'network']);
      peer.close();
    });

    it('gives up at the first ICE restart due after the deadline and tries no more', () => {
      const { pc, peer, reports } = session({ connectTimeoutMs: 30_000 });
      pc.restartIce.mockImplementation(() => pc.calls.push('restartIce'));
      pc.setIceState('failed');
      // Restarts at 0, 9, 19 and 31 s (each watched for 8 s); the check at 39 s is past the deadline.
      jest.advanceTimersByTime(38_999);
      expect(pc.restartIce).toHaveBeenCalledTimes(4);
      expect(peer.currentHealth).toBe('reconnecting');
      jest.advanceTimersByTime(1);
      expect(reports.at(-1)).toEqual(['failed', 'no-turn']);
      jest.advanceTimersByTime(120_000);
      expect(pc.restartIce).toHaveBeenCalledTimes(4);
      expect(jest.getTimerCount()).toBe(0);
      peer.close();
    });

    it('says failed without guessing a reason when nothing was ever exchanged', () => {
      const { peer, reports } = session({ initiator: false, polite: true });
      jest.advanceTimersByTime(30_000);
      expect(reports).toEqual([['failed', null]]);
      peer.close();
    });

    it('is never marked failed once it has connected, and connects even after the deadline', () => {
      const early = session();
      jest.advanceTimersByTime(10_000);
      early.pc.setIceState('connected');
      jest.advanceTimersByTime(60_000);
      expect(early.health).toEqual(['connected']);
      early.peer.close();

      const late = session();
      late.pc.setIceState('checking');
      jest.advanceTimersByTime(30_000);
      late.pc.setIceState('connected');
      expect(late.reports).toEqual([
        ['failed', 'no-turn'],
        ['connected', null],
      ]);
      late.peer.close();
    });

    it('leaves no deadline timer behind when closed before it', () => {
      const { peer } = session({ initiator: false, polite: true });
      expect(jest.getTimerCount()).toBe(1);
      peer.close();
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('DTLS fingerprints (for the security code)', () => {
    const OURS = 'sha-256 0A:0B';
    const THEIRS = 'sha-256 1C:1D';

    it('reports both sides\' fingerprints from the applied descriptions once DTLS is connected, and only once', async () => {
      const reported: unknown[] = [];
      const { pc, peer } = session({ initiator: false, polite: true, onFingerprints: (fingerprints) => reported.push(fingerprints) });
      pc.fingerprint = OURS;
      await peer.handleSignal({ description: { type: 'offer', sdp: `v=0\r\na=fingerprint:${THEIRS}\r\n` } });
      pc.setConnectionState('connecting');
      expect(reported).toEqual([]);
      pc.setConnectionState('connected');
      expect(reported).toEqual([{ local: [OURS], remote: [THEIRS] }]);
      // A network change and back: the same certificates, nothing new to say.
      pc.setConnectionState('disconnected');
      pc.setConnectionState('connected');
      expect(reported).toHaveLength(1);
    });

    it('reads nothing while its own offer is unanswered: only applied descriptions count', async () => {
      const { pc, peer } = session();
      pc.fingerprint = OURS;
      pc.onnegotiationneeded?.();
      await flush();
      expect(peer.fingerprints).toBeNull();
      await peer.handleSignal({ description: { type: 'answer', sdp: `a=fingerprint:${THEIRS}` } });
      expect(peer.fingerprints).toEqual({ local: [OURS], remote: [THEIRS] });
    });
  });

  describe('when the path changed (a resume, a network change)', () => {
    afterEach(() => jest.useRealTimers());

    it('restarts ICE at once over a connection that still says connected, and watches that it comes back', async () => {
      jest.useFakeTimers();
      const { pc, peer, sent } = session();
      pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(0);
      await peer.handleSignal({ description: { type: 'answer', sdp: 'a' } });
      pc.setIceState('connected');
      peer.restartIce();
      await jest.advanceTimersByTimeAsync(0);
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
      expect(sent.filter((data) => 'description' in data)).toHaveLength(2);
      // Still not back after the watch: the ladder takes over (ICE went checking, then disconnected).
      pc.setIceState('disconnected');
      await jest.advanceTimersByTimeAsync(100);
      expect(pc.restartIce).toHaveBeenCalledTimes(2);
    });

    it('sends an offer still waiting for its answer again (it may have gone to a dead socket) and restarts once that round completes', async () => {
      const { pc, peer, sent } = session();
      // As the browser does outside stable: restartIce() only marks the connection as needing a restart offer.
      pc.restartIce.mockImplementation(() => pc.calls.push('restartIce'));
      pc.onnegotiationneeded?.();
      await flush();
      expect(pc.signalingState).toBe('have-local-offer');
      peer.restartIce();
      await flush();
      const descriptions = () => sent.filter((data) => 'description' in data).map((data) => 'description' in data && data.description.sdp);
      expect(descriptions()).toEqual(['offer-1', 'offer-1']);
      expect(pc.calls).not.toContain('setLocalDescription(rollback)');
      // Answered twice: the first answer completes the round, the second is stale and dropped.
      await peer.handleSignal({ description: { type: 'answer', sdp: 'a1' } });
      await flush();
      await peer.handleSignal({ description: { type: 'answer', sdp: 'a1-again' } });
      expect(pc.calls.filter((call) => call === 'setRemoteDescription(answer)')).toHaveLength(1);
      expect(peer.currentFailure).toBeNull();
      // Stable again, the browser asks for the restart offer restartIce() marked as needed.
      expect(pc.calls).toContain('restartIce');
      pc.onnegotiationneeded?.();
      await flush();
      expect(descriptions()).toEqual(['offer-1', 'offer-1', 'offer-2']);
    });

    it('drops an answer that arrives while stable (to an offer given up on) instead of calling the negotiation failed', async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const { pc, peer } = session({ polite: true, initiator: false });
      await peer.handleSignal({ description: { type: 'offer', sdp: 'o' } });
      await peer.handleSignal({ description: { type: 'answer', sdp: 'late' } });
      expect(pc.calls).not.toContain('setRemoteDescription(answer)');
      expect(peer.currentFailure).toBeNull();
      expect(warn).not.toHaveBeenCalled();
      warn.mockRestore();
    });

    it('never rolls back an offer on a resume, not even the first: its answer may be on the way', async () => {
      const { pc, peer } = session();
      pc.onnegotiationneeded?.();
      await flush();
      peer.restartIce();
      peer.pathResumed();
      expect(pc.calls).not.toContain('setLocalDescription(rollback)');
      expect(pc.signalingState).toBe('have-local-offer');
    });

    it('after a resume, the impolite side sends a fresh offer at once', async () => {
      const { pc, peer } = session({ polite: false });
      pc.setIceState('connected');
      peer.pathResumed();
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
    });

    it('after a resume, the polite side sends its own unanswered offer again and answers the fresh one without offering itself', async () => {
      jest.useFakeTimers();
      const { pc, peer, sent } = session({ polite: true, initiator: false, resumeOfferWaitMs: 3000 });
      await peer.handleSignal({ description: { type: 'offer', sdp: 'first' } });
      pc.setIceState('connected');
      pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(0);
      expect(pc.signalingState).toBe('have-local-offer');
      peer.pathResumed();
      expect(sent.at(-1)).toEqual({ description: { type: 'offer', sdp: 'offer-1' } });
      // The impolite side's fresh offer collides with ours: polite, we roll back and answer it.
      await peer.handleSignal({ description: { type: 'offer', sdp: 'fresh' } });
      await jest.advanceTimersByTimeAsync(5000);
      expect(pc.restartIce).not.toHaveBeenCalled();
      expect(pc.signalingState).toBe('stable');
      expect(sent.at(-1)).toEqual({ description: { type: 'answer', sdp: 'answer-1' } });
    });

    it('after a resume, the polite side restarts ICE itself when no fresh offer comes', async () => {
      jest.useFakeTimers();
      const { pc, peer } = session({ polite: true, initiator: false, resumeOfferWaitMs: 3000 });
      await peer.handleSignal({ description: { type: 'offer', sdp: 'first' } });
      pc.setIceState('connected');
      peer.pathResumed();
      await jest.advanceTimersByTimeAsync(2900);
      expect(pc.restartIce).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(200);
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
    });

    it('two sides restarting at once end stable with one round answered, whatever the order of delivery', async () => {
      for (const first of ['impolite', 'polite'] as const) {
        const wire: Array<[to: 'impolite' | 'polite', data: SignalData]> = [];
        const impolite = session({ polite: false, initiator: true, sendSignal: (data) => wire.push(['polite', data]) });
        const polite = session({ polite: true, initiator: false, sendSignal: (data) => wire.push(['impolite', data]) });
        const sides = { impolite, polite };
        const deliverAll = async () => {
          while (wire.length) {
            const [to, data] = wire.shift() as [typeof first, SignalData];
            if ('description' in data) await sides[to].peer.handleSignal(data);
          }
        };
        impolite.pc.onnegotiationneeded?.();
        await flush();
        await deliverAll();
        expect([impolite.pc.signalingState, polite.pc.signalingState]).toEqual(['stable', 'stable']);

        // Both learn of a network change at the same moment: their restart offers cross.
        sides[first].peer.restartIce();
        sides[first === 'polite' ? 'impolite' : 'polite'].peer.restartIce();
        await flush();
        await deliverAll();
        await flush();
        await deliverAll();
        expect([impolite.pc.signalingState, polite.pc.signalingState]).toEqual(['stable', 'stable']);
        // The polite side gave way: it answered the impolite side's restart offer.
        expect(polite.pc.calls).toContain('rollback');
        impolite.peer.close();
        polite.peer.close();
      }
    });
  });

  describe('following our end of the selected path (a network change ICE followed by itself)', () => {
    afterEach(() => jest.restoreAllMocks());

    async function connectedSession() {
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const moved = jest.fn();
      const made = session({ initiator: false, polite: true, onLocalPathChange: moved });
      await made.peer.handleSignal({ description: { type: 'offer', sdp: 'o' } });
      made.pc.iceTransport.select({ type: 'srflx', address: '198.51.100.2', relatedAddress: '10.0.0.2' });
      made.pc.setConnectionState('connected');
      return { ...made, moved };
    }

    it('tells when our end moves to another network, not when the pair is first chosen', async () => {
      const { pc, peer, moved } = await connectedSession();
      expect(moved).not.toHaveBeenCalled();
      pc.iceTransport.select({ type: 'prflx', address: '203.0.113.7', relatedAddress: null });
      expect(moved).toHaveBeenCalledTimes(1);
      peer.close();
    });

    it('stays quiet when only the other end or the relay allocation changes (an ICE restart on the same network)', async () => {
      const { pc, peer, moved } = await connectedSession();
      pc.iceTransport.select({ type: 'srflx', address: '198.51.100.2', relatedAddress: '10.0.0.2' });
      // A relay reached from the same public address is the same network of ours.
      pc.iceTransport.select({ type: 'relay', address: '192.0.2.1', relatedAddress: '198.51.100.2' });
      pc.iceTransport.select({ type: 'relay', address: '192.0.2.1', relatedAddress: '0.0.0.0' });
      expect(moved).not.toHaveBeenCalled();
      peer.close();
    });

    it('stops following the path once closed', async () => {
      const { pc, peer, moved } = await connectedSession();
      expect(pc.iceTransport.listening).toBe(1);
      peer.close();
      expect(pc.iceTransport.listening).toBe(0);
      expect(moved).not.toHaveBeenCalled();
    });
  });

  describe('listener cleanup', () => {
    afterEach(() => jest.useRealTimers());

    it('on close, detaches all five handlers, closes the connection, empties the stream and reports closed', async () => {
      const { pc, peer, health } = session({ initiator: false, polite: true });
      await peer.handleSignal({ description: { type: 'offer', sdp: 'o' } });
      expect(peer.stream.getTracks()).toHaveLength(2);
      peer.close();
      expect(pc.close).toHaveBeenCalled();
      expect([pc.onnegotiationneeded, pc.onicecandidate, pc.ontrack, pc.oniceconnectionstatechange, pc.onconnectionstatechange]).toEqual([
        null,
        null,
        null,
        null,
        null,
      ]);
      expect(peer.stream.getTracks()).toEqual([]);
      expect(health).toEqual(['closed']);
      peer.close();
      expect(pc.close).toHaveBeenCalledTimes(1);
    });

    it('leaves no timer behind: not the disconnection grace, a pending ICE restart or an answer timeout', async () => {
      jest.useFakeTimers();
      const { pc, peer } = session();
      pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(0);
      pc.setIceState('connected');
      pc.setIceState('disconnected');
      expect(jest.getTimerCount()).toBe(2);
      peer.close();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('leaves no timer behind while a failed negotiation waits for its next try', async () => {
      jest.useFakeTimers();
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const { pc, peer } = session({ initiator: false, polite: true });
      pc.remoteDescriptionFailures = 1;
      await peer.handleSignal({ description: { type: 'offer', sdp: 'unusable' } });
      expect(jest.getTimerCount()).toBe(1);
      peer.close();
      expect(jest.getTimerCount()).toBe(0);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(pc.restartIce).not.toHaveBeenCalled();
      jest.restoreAllMocks();
    });
  });
});
