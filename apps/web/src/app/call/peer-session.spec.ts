import type { SignalData } from '@mesh-meet/protocol';
import { FakeMediaStream, FakePeerConnection, FakeTrack } from '../../testing/fake-peer-connection';
import { type PeerHealth, PeerSession, type PeerSessionOptions } from './peer-session';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function session(overrides: Partial<PeerSessionOptions> = {}) {
  const sent: SignalData[] = [];
  const health: PeerHealth[] = [];
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
    onHealth: (state) => health.push(state),
    disconnectedGraceMs: 10,
    ...overrides,
  });
  const pc = peer.connection as unknown as FakePeerConnection;
  return { peer, pc, sent, health, tracks };
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

  it('on close, detaches every handler, closes the connection and reports closed', () => {
    const { pc, peer, health } = session();
    peer.close();
    expect(pc.close).toHaveBeenCalled();
    expect([pc.onnegotiationneeded, pc.onicecandidate, pc.ontrack, pc.oniceconnectionstatechange]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(health).toEqual(['closed']);
    peer.close();
    expect(pc.close).toHaveBeenCalledTimes(1);
  });
});
