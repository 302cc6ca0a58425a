import { TestBed } from '@angular/core/testing';
import type { JoinAck, SignalData } from '@mesh-meet/protocol';
import { callProviders } from '../../testing/call-providers';
import { FakePeerConnection, FakeTrack } from '../../testing/fake-peer-connection';
import { FakeSocket } from '../../testing/fake-socket';
import { joinAck } from '../../testing/join-ack';
import { MemoryStorage, ON_NETWORK_CHANGE, ON_PAGE_HIDE, STORAGE } from '../core/browser.tokens';
import { CallService } from './call.service';
import { CallStore } from './call.store';
import { QualityStore } from './quality/quality.store';
import { loadFixture } from '../../testing/stats-fixtures';
import { LocalMediaService } from './local-media.service';

const MEMBER = 'member-0001';
const LATER = 'member-0002';

function joined(peers: string[], resumed = false, identity = 'issued-token'): JoinAck {
  return joinAck(peers, { resumed, identity });
}

/** A camera and microphone that always start, so the spec can see their tracks stopped. */
function fakeDevices() {
  const tracks: FakeTrack[] = [];
  const devices = {
    getUserMedia: jest.fn(async (constraints: { audio?: unknown; video?: unknown }) => {
      const track = new FakeTrack(constraints.video ? 'video' : 'audio');
      Object.assign(track, { getSettings: () => ({}), addEventListener: () => undefined });
      tracks.push(track);
      return { getTracks: () => [track] };
    }),
  };
  return { devices, tracks };
}

/** `pagehide` as the call sees it: the spec fires it and sees whether a listener is still registered. */
class FakePageHide {
  private readonly listeners = new Set<() => void>();

  readonly register = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  get listening(): number {
    return this.listeners.size;
  }
}

describe('CallService', () => {
  let sockets: FakeSocket[];
  let call: CallService;
  let store: CallStore;
  let tracks: FakeTrack[];
  /** The server's answer to each `join`, in order. */
  let joinAnswers: JoinAck[];
  let storage: MemoryStorage;
  let pageHide: FakePageHide;
  /** `online` and `navigator.connection` changes, as the call sees them (the same shape as pagehide). */
  let networkChange: FakePageHide;

  beforeEach(() => {
    sockets = [];
    joinAnswers = [];
    storage = new MemoryStorage();
    pageHide = new FakePageHide();
    networkChange = new FakePageHide();
    FakePeerConnection.created = [];
    const fake = fakeDevices();
    tracks = fake.tracks;
    TestBed.configureTestingModule({
      providers: callProviders({
        devices: fake.devices as unknown as MediaDevices,
        socket: () => {
          const socket = new FakeSocket();
          socket.answer = (event) => (event === 'join' ? (joinAnswers.shift() ?? joined([])) : { ok: true });
          sockets.push(socket);
          return socket.asSocket();
        },
        extra: [
          { provide: STORAGE, useValue: storage },
          { provide: ON_PAGE_HIDE, useValue: pageHide.register },
          { provide: ON_NETWORK_CHANGE, useValue: networkChange.register },
        ],
      }),
    });
    call = TestBed.inject(CallService);
    store = TestBed.inject(CallStore);
  });

  afterEach(() => jest.useRealTimers());

  /** Join, with the socket connecting as soon as it is asked to. */
  async function join(): Promise<FakeSocket> {
    const joining = call.join({ roomId: 'abc-defg-hij', name: 'Ann' });
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket was opened');
    socket.fire('connect');
    await joining;
    return socket;
  }

  it('joins: the call state shows the room and its members, and the newcomer waits for their offers', async () => {
    joinAnswers.push(joined([MEMBER]));
    const socket = await join();
    expect(store.phase()).toBe('in-call');
    expect(store.peers().map((peer) => peer.peerId)).toEqual([MEMBER]);
    expect(socket.sent('join')).toEqual([[expect.objectContaining({ roomId: 'abc-defg-hij', name: 'Ann' })]]);
    expect(FakePeerConnection.created).toHaveLength(1);
    // The member offers (it was there first); the newcomer creates no transceivers of its own.
    expect(FakePeerConnection.created[0].transceivers).toEqual([]);
  });

  it('as a member, waits for the offer of a newcomer that offers first (Firefox), and answers it', async () => {
    const socket = await join();
    socket.fire('peer-joined', { peerId: LATER, name: 'Fox', role: 'guest', media: { audio: true, video: true, screen: false }, offersFirst: true });
    const pc = FakePeerConnection.created[0];
    expect(pc.transceivers).toEqual([]);
    socket.fire('signal', { from: LATER, data: { description: { type: 'offer', sdp: 'fox-offer' } } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(socket.sent('signal')).toEqual([[{ to: LATER, data: { description: { type: 'answer', sdp: 'answer-0' } } }]]);
    // Without the flag the member offers, as before.
    socket.fire('peer-joined', { peerId: 'member-0003', name: 'Chromium', role: 'guest', media: { audio: true, video: true, screen: false } });
    expect(FakePeerConnection.created[1].transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv']);
  });

  it('asks a peer that offered first (Firefox) to restart ICE rather than making the restart offer itself', async () => {
    const socket = await join();
    socket.fire('peer-joined', { peerId: LATER, name: 'Fox', role: 'guest', media: { audio: true, video: true, screen: false }, offersFirst: true });
    const pc = FakePeerConnection.created[0];
    socket.fire('signal', { from: LATER, data: { description: { type: 'offer', sdp: 'a=ice-ufrag:fox-1\r\n' } } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    pc.setIceState('connected');
    pc.setIceState('failed');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(socket.sent('signal')).toContainEqual([{ to: LATER, data: { restartIce: true } }]);
    expect(pc.restartIce).not.toHaveBeenCalled();
  });

  it('measures each link every 2 s, shows its level and sends the server a sample every 10 s, until the call ends', async () => {
    jest.useFakeTimers();
    joinAnswers.push(joined([MEMBER]));
    const socket = await join();
    const [first, second] = loadFixture('chromium-direct').reports;
    const reports = [first, second, ...[2, 3, 4, 5, 6, 7].map((step) => second.map((entry) => ({ ...entry, timestamp: entry.timestamp + step * 2000 })))];
    const pc = FakePeerConnection.created[0] as FakePeerConnection & { getStats: jest.Mock };
    pc.getStats = jest.fn(async () => new Map((reports.shift() ?? second).map((entry) => [entry.id, entry])));
    await jest.advanceTimersByTimeAsync(2000);
    expect(pc.getStats).toHaveBeenCalledTimes(1);
    expect(TestBed.inject(QualityStore).link(MEMBER)?.level).toBe('good');
    expect(socket.sent('quality')).toEqual([]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(socket.sent('quality')).toEqual([[{ samples: [expect.objectContaining({ peerId: MEMBER, localCandidateType: 'host' })] }]]);
    const calls = pc.getStats.mock.calls.length;
    await call.leave();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(pc.getStats).toHaveBeenCalledTimes(calls);
    expect(TestBed.inject(QualityStore).links().size).toBe(0);
  });

  it('does not blame the network while a new link’s bandwidth estimate ramps up, and does once it is over', async () => {
    jest.useFakeTimers();
    joinAnswers.push(joined([MEMBER]));
    await join();
    const [first, second] = loadFixture('chromium-limited').reports;
    let round = 0;
    const pc = FakePeerConnection.created[0] as FakePeerConnection & { getStats: jest.Mock };
    // Every round limited by bandwidth, with an estimate far under our cap.
    pc.getStats = jest.fn(async () => {
      const base = round === 0 ? first : second;
      const shifted = base.map((entry) => ({ ...entry, timestamp: entry.timestamp + Math.max(0, round - 1) * 2000 }));
      round += 1;
      return new Map(shifted.map((entry) => [entry.id, entry]));
    });
    pc.setIceState('connected');
    const quality = TestBed.inject(QualityStore);
    await jest.advanceTimersByTimeAsync(8000);
    expect(quality.uplinkLimitedBy()).toBeNull();
    await jest.advanceTimersByTimeAsync(8000);
    expect(quality.uplinkLimitedBy()).toBe('bandwidth');
  });

  it('answers an offer that arrived before its join ack named the sender', async () => {
    let ack: (value: JoinAck) => void = () => undefined;
    const joining = call.join({ roomId: 'abc-defg-hij', name: 'Ann' });
    const socket = sockets[0];
    socket.answer = (event) => (event === 'join' ? new Promise<JoinAck>((resolve) => (ack = resolve)) : { ok: true });
    socket.fire('connect');
    await new Promise((resolve) => setTimeout(resolve, 0));
    // peer-joined reached the member first: its offer overtakes our ack.
    const offer: SignalData = { description: { type: 'offer', sdp: 'early-offer' } };
    socket.fire('signal', { from: MEMBER, data: offer });
    expect(FakePeerConnection.created).toHaveLength(0);
    ack(joined([MEMBER]));
    await joining;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(FakePeerConnection.created[0].calls).toEqual(['setRemoteDescription(offer)', 'setLocalDescription(answer)']);
    expect(socket.sent('signal')).toEqual([[{ to: MEMBER, data: { description: { type: 'answer', sdp: 'answer-0' } } }]]);
  });

  it('a failed join says why, goes back to the lobby and leaves no handler behind', async () => {
    joinAnswers.push({ ok: false, error: { code: 'ROOM_FULL', message: 'full' } });
    const socket = await join();
    expect(store.phase()).toBe('lobby');
    expect(store.error()).toBe('ROOM_FULL');
    expect(socket.listenerCount()).toBe(0);
    expect(socket.disconnected).toBe(true);
  });

  it('after a failed join and a successful one, a reconnect resumes exactly once', async () => {
    joinAnswers.push({ ok: false, error: { code: 'ROOM_LOCKED', message: 'locked' } });
    await join();
    joinAnswers.push(joined([MEMBER]));
    const socket = await join();
    const pc = FakePeerConnection.created[0];

    joinAnswers.push(joined([MEMBER], true));
    socket.fire('disconnect');
    socket.fire('connect');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const joins = socket.sent('join');
    expect(joins).toHaveLength(2);
    expect(joins[1]).toEqual([expect.objectContaining({ resume: { peerId: 'self-0001', token: 'token' } })]);
    // Resumed: the peer connection is kept.
    expect(FakePeerConnection.created).toEqual([pc]);
    expect(pc.close).not.toHaveBeenCalled();
    expect(store.phase()).toBe('in-call');

    // And the next reconnect once more, not twice.
    joinAnswers.push(joined([MEMBER], true));
    socket.fire('disconnect');
    socket.fire('connect');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(socket.sent('join')).toHaveLength(3);
  });

  it('a reconnect whose resume failed joins afresh, offering to the members that came meanwhile', async () => {
    joinAnswers.push(joined([MEMBER]));
    const socket = await join();
    joinAnswers.push(joined([MEMBER, LATER], true));
    socket.fire('disconnect');
    socket.fire('connect');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.peers().map((peer) => peer.peerId)).toEqual([MEMBER, LATER]);
    // We were there before LATER: we open the connection and offer.
    expect(FakePeerConnection.created[1].transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv']);
  });

  describe('a changed path renegotiates at once', () => {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
    afterEach(() => jest.restoreAllMocks());

    it('opens a new signaling connection at once when the browser says the network changed (the call then resumes)', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      networkChange.fire();
      expect(socket.io.engine.close).toHaveBeenCalledTimes(1);
    });

    it('when ICE to someone breaks and the server does not answer either, opens a new signaling connection', async () => {
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      const [pc] = FakePeerConnection.created;
      pc.setIceState('connected');
      await tick();
      expect(socket.io.engine.close).not.toHaveBeenCalled();

      socket.answer = (event) => (event === 'media-state' ? { ok: false, error: { code: 'UNAVAILABLE', message: 'no answer from the server' } } : { ok: true });
      const probes = socket.sent('media-state').length;
      pc.setIceState('disconnected');
      await tick();
      expect(socket.sent('media-state')).toHaveLength(probes + 1);
      expect(socket.io.engine.close).toHaveBeenCalledTimes(1);
      call.connectionTo(MEMBER)?.close();
      jest.restoreAllMocks();
    });

    it('when ICE to someone breaks but the server answers, keeps the signaling connection', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      const [pc] = FakePeerConnection.created;
      pc.setIceState('connected');
      await tick();
      const probes = socket.sent('media-state').length;
      pc.setIceState('disconnected');
      await tick();
      expect(socket.sent('media-state')).toHaveLength(probes + 1);
      expect(socket.io.engine.close).not.toHaveBeenCalled();
      call.connectionTo(MEMBER)?.close();
    });

    it('does not suspect its own network while ICE to someone else still works', async () => {
      joinAnswers.push(joined([MEMBER, LATER]));
      const socket = await join();
      const [toMember, toLater] = FakePeerConnection.created;
      toMember.setIceState('connected');
      toLater.setIceState('connected');
      await tick();
      const probes = socket.sent('media-state').length;
      toMember.setIceState('disconnected');
      await tick();
      expect(socket.sent('media-state')).toHaveLength(probes);
      for (const peerId of [MEMBER, LATER]) call.connectionTo(peerId)?.close();
    });

    it('after our own resume, restarts where we offered first (sending a pending offer again) and waits for the offer where the other did', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      socket.fire('peer-joined', { peerId: LATER, name: 'Later', role: 'guest', media: { audio: false, video: false, screen: false } });
      const [fromMember, toLater] = FakePeerConnection.created;
      toLater.onnegotiationneeded?.();
      await tick();
      socket.fire('signal', { from: LATER, data: { description: { type: 'answer', sdp: 'answer' } } });
      await tick();
      // Our restart offer to LATER went out on the socket that then died: it will never be answered.
      toLater.onnegotiationneeded?.();
      await tick();
      expect(toLater.signalingState).toBe('have-local-offer');

      joinAnswers.push(joined([MEMBER, LATER], true));
      socket.fire('disconnect');
      socket.fire('connect');
      await tick();
      await tick();
      // Sent again on the new connection (not rolled back: its answer may be on the way), and ICE restarts after it.
      type Sent = { to: string; data: { description?: { type: string } } };
      const offersToLater = socket.sent('signal').filter(([request]) => (request as Sent).to === LATER && (request as Sent).data.description?.type === 'offer');
      expect(offersToLater.at(-1)).toEqual(offersToLater.at(-2));
      expect(toLater.calls).not.toContain('setLocalDescription(rollback)');
      expect(toLater.restartIce).toHaveBeenCalledTimes(1);
      // MEMBER was there first: it sends the fresh offer, we do not collide with one of ours.
      expect(fromMember.restartIce).not.toHaveBeenCalled();
      expect(FakePeerConnection.created).toHaveLength(2);
    });

    it('when another member resumed, the side that offered first sends a fresh offer', async () => {
      joinAnswers.push(joined([]));
      const socket = await join();
      socket.fire('peer-joined', { peerId: LATER, name: 'Later', role: 'guest', media: { audio: false, video: false, screen: false } });
      const [pc] = FakePeerConnection.created;
      pc.iceConnectionState = 'connected';
      socket.fire('peer-resumed', { peerId: LATER });
      await tick();
      expect(pc.restartIce).toHaveBeenCalledTimes(1);
    });

    /** We joined MEMBER's call and the pair is connected on our network 198.51.100.2. */
    async function connectedToMember() {
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      const [pc] = FakePeerConnection.created;
      await pc.onnegotiationneeded?.();
      await tick();
      socket.fire('signal', { from: MEMBER, data: { description: { type: 'answer', sdp: 'answer' } } });
      await tick();
      pc.iceTransport.select({ type: 'srflx', address: '198.51.100.2', relatedAddress: null });
      pc.setConnectionState('connected');
      return { socket, pc };
    }

    /** Some time later: the signaling connection is no longer one just made. */
    function later(ms = 11_000) {
      const now = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(now + ms);
    }

    it('when ICE moved our end to another network by itself and the server does not answer, opens a new signaling connection', async () => {
      const { socket, pc } = await connectedToMember();
      socket.answer = (event) => (event === 'media-state' ? { ok: false, error: { code: 'UNAVAILABLE', message: 'no answer from the server' } } : { ok: true });
      const probes = socket.sent('media-state').length;
      later();
      pc.iceTransport.select({ type: 'srflx', address: '203.0.113.7', relatedAddress: null });
      await tick();
      expect(socket.sent('media-state')).toHaveLength(probes + 1);
      expect(socket.io.engine.close).toHaveBeenCalledTimes(1);
      call.connectionTo(MEMBER)?.close();
    });

    it('when ICE moved our end to another network but the server answers, keeps the signaling connection', async () => {
      const { socket, pc } = await connectedToMember();
      const probes = socket.sent('media-state').length;
      later();
      pc.iceTransport.select({ type: 'srflx', address: '203.0.113.7', relatedAddress: null });
      await tick();
      expect(socket.sent('media-state')).toHaveLength(probes + 1);
      expect(socket.io.engine.close).not.toHaveBeenCalled();
      call.connectionTo(MEMBER)?.close();
    });

    it('does not probe a signaling connection made moments before the path moved (made on the new network: after online, the resume restarts ICE and moves the paths)', async () => {
      const { socket, pc } = await connectedToMember();
      const probes = socket.sent('media-state').length;
      later(2000);
      pc.iceTransport.select({ type: 'srflx', address: '203.0.113.7', relatedAddress: null });
      await tick();
      expect(socket.sent('media-state')).toHaveLength(probes);
      call.connectionTo(MEMBER)?.close();
    });

    it('does not drop a connection made while its probe waited: the unanswered probe was about the old one', async () => {
      const { socket, pc } = await connectedToMember();
      let answer: (ack: unknown) => void = () => undefined;
      socket.answer = (event) => (event === 'media-state' ? new Promise((resolve) => (answer = resolve)) : { ok: true });
      later();
      pc.iceTransport.select({ type: 'srflx', address: '203.0.113.7', relatedAddress: null });
      await tick();
      joinAnswers.push(joined([MEMBER], true));
      socket.fire('disconnect', 'transport close');
      socket.fire('connect');
      answer({ ok: false, error: { code: 'UNAVAILABLE', message: 'no answer from the server' } });
      await tick();
      expect(socket.io.engine.close).not.toHaveBeenCalled();
      call.connectionTo(MEMBER)?.close();
      jest.restoreAllMocks();
    });

    it('stops listening for network changes when the call ends', async () => {
      joinAnswers.push(joined([MEMBER]));
      await join();
      expect(networkChange.listening).toBe(1);
      await call.leave();
      expect(networkChange.listening).toBe(0);
    });
  });

  it('shows on the tile that the negotiation with a peer failed', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    joinAnswers.push(joined([MEMBER]));
    const socket = await join();
    const pc = FakePeerConnection.created[0];
    pc.remoteDescriptionFailures = 1;
    socket.fire('signal', { from: MEMBER, data: { description: { type: 'offer', sdp: 'unusable' } } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.peers()[0]).toMatchObject({ health: 'reconnecting', failure: 'negotiation' });
    call.connectionTo(MEMBER)?.close();
    jest.restoreAllMocks();
  });

  describe('identity', () => {
    it('sends no identity on the first join and keeps the one the server issued', async () => {
      joinAnswers.push(joined([], false, 'first-issued'));
      const socket = await join();
      expect(socket.sent('join')[0][0]).not.toHaveProperty('identity', expect.anything());
      expect(storage.getItem('mesh-meet.identity')).toBe('first-issued');
    });

    it('sends the stored identity with the next join and keeps the one the ack returns', async () => {
      storage.setItem('mesh-meet.identity', 'kept-from-last-time');
      storage.setItem('mesh-meet.userId', '3f0c7a2e-8c1b-4d5e-9f6a-1b2c3d4e5f60');
      joinAnswers.push(joined([], false, 'reissued'));
      const socket = await join();
      expect(socket.sent('join')).toEqual([[expect.objectContaining({ identity: 'kept-from-last-time' })]]);
      expect(socket.sent('join')[0][0]).not.toHaveProperty('userId');
      expect(storage.getItem('mesh-meet.identity')).toBe('reissued');
      expect(storage.getItem('mesh-meet.userId')).toBeNull();
    });
  });

  describe('leaving is seen at once', () => {
    it('a closed tab (pagehide) says leave, disconnects and removes its listener', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      expect(pageHide.listening).toBe(1);

      pageHide.fire();
      expect(socket.sent('leave')).toHaveLength(1);
      expect(socket.disconnected).toBe(true);
      expect(store.phase()).toBe('left');
      expect(pageHide.listening).toBe(0);
      expect(FakePeerConnection.created[0].close).toHaveBeenCalled();
    });

    it('leaving with the button removes the pagehide listener too', async () => {
      joinAnswers.push(joined([MEMBER]));
      await join();
      await call.leave();
      expect(pageHide.listening).toBe(0);
    });

    it('a refused join leaves no pagehide listener', async () => {
      joinAnswers.push({ ok: false, error: { code: 'ROOM_FULL', message: 'full' } });
      await join();
      expect(pageHide.listening).toBe(0);
    });

    it('navigating away from the meeting page says leave and disconnects', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      TestBed.resetTestingModule(); // destroys the page's injector, as leaving the route does
      expect(socket.sent('leave')).toHaveLength(1);
      expect(socket.listenerCount()).toBe(0);
      const [ack] = socket.sent('leave')[0] as [(answer: unknown) => void];
      ack({ ok: true });
      expect(socket.disconnected).toBe(true);
      expect(pageHide.listening).toBe(0);
    });

  });

  describe('removal sticks', () => {
    it('a join refused with REMOVED shows the removed page, not the lobby', async () => {
      joinAnswers.push({ ok: false, error: { code: 'REMOVED', message: 'removed from this meeting' } });
      const socket = await join();
      expect(store.phase()).toBe('removed');
      expect(socket.listenerCount()).toBe(0);
      expect(socket.disconnected).toBe(true);
    });

    it('a rejoin after a dropped connection refused with REMOVED ends the call on the removed page', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      joinAnswers.push({ ok: false, error: { code: 'REMOVED', message: 'removed from this meeting' } });
      socket.fire('disconnect', 'transport close');
      socket.fire('connect');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(store.phase()).toBe('removed');
      expect(socket.listenerCount()).toBe(0);
    });
  });

  describe('the server closing the connection', () => {
    it('in a call: the call ends and the page after it keeps the reason', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      socket.fire('closing', { code: 'RATE_LIMITED', message: 'too many messages' });
      socket.fire('disconnect', 'io server disconnect');
      expect(store.phase()).toBe('left');
      expect(store.error()).toBe('RATE_LIMITED');
      expect(socket.listenerCount()).toBe(0);
      expect(pageHide.listening).toBe(0);
      expect(FakePeerConnection.created[0].close).toHaveBeenCalled();
    });

    it('in the lobby (the join deadline): the next Join opens a new connection and joins', async () => {
      call.warmUp();
      sockets[0].fire('connect');
      await new Promise((resolve) => setTimeout(resolve, 0));
      sockets[0].fire('closing', { code: 'NOT_IN_ROOM', message: 'no join within the deadline' });
      sockets[0].fire('disconnect', 'io server disconnect');
      expect(store.phase()).toBe('lobby');
      expect(store.error()).toBeNull();

      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      expect(sockets).toHaveLength(2);
      expect(socket).toBe(sockets[1]);
      expect(store.phase()).toBe('in-call');
    });

    it('leaving afterwards by choice shows no stale reason', async () => {
      joinAnswers.push(joined([MEMBER]));
      await join();
      await call.setAccess('locked'); // a guest: the server refuses
      sockets[0].answer = () => ({ ok: true });
      await call.leave();
      expect(store.error()).toBeNull();
    });
  });

  describe('listener cleanup', () => {
    it('after leave: no socket listener, no peer connection, no local track, no timer', async () => {
      jest.useFakeTimers();
      await TestBed.inject(LocalMediaService).start();
      expect(tracks).toHaveLength(2);
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      const pc = FakePeerConnection.created[0];
      expect(jest.getTimerCount()).toBeGreaterThan(0); // speaker detection

      await call.leave();
      expect(socket.sent('leave')).toHaveLength(1);
      expect(store.phase()).toBe('left');
      expect(socket.listenerCount()).toBe(0);
      expect(socket.disconnected).toBe(true);
      expect(pc.close).toHaveBeenCalled();
      expect(pc.onicecandidate).toBeNull();
      for (const track of tracks) expect(track.stop).toHaveBeenCalled();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('after removal by the host the same holds, and a later reconnect of the old socket does nothing', async () => {
      jest.useFakeTimers();
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      socket.fire('removed', { by: 'host' });
      expect(store.phase()).toBe('removed');
      expect(socket.listenerCount()).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
      socket.fire('connect');
      expect(socket.sent('join')).toHaveLength(1);
    });

    it('a rejoin waiting to retry is cancelled by leaving', async () => {
      jest.useFakeTimers();
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      joinAnswers.push({ ok: false, error: { code: 'UNAVAILABLE', message: 'database down' } });
      socket.fire('disconnect');
      socket.fire('connect');
      await jest.advanceTimersByTimeAsync(0);
      expect(socket.sent('join')).toHaveLength(2);
      await call.leave();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(socket.sent('join')).toHaveLength(2);
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('asking to join', () => {
    const REQUEST = 'request-0001';
    function waitingAck(hostPresent = true): JoinAck {
      return {
        ok: true,
        waiting: { requestId: REQUEST, hostPresent, expiresAt: new Date(Date.now() + 600_000).toISOString() },
        identity: 'waiting-identity',
        room: { roomId: 'abc-defg-hij', name: 'Sync', access: 'ask', locked: false, maxParticipants: 6 },
      };
    }

    it('waits with its preview on, follows whether the host is there, and joins by itself when admitted, as the admitted identity', async () => {
      joinAnswers.push(waitingAck(false));
      const socket = await join();
      expect(store.phase()).toBe('waiting');
      expect(store.hostPresent()).toBe(false);
      expect(FakePeerConnection.created).toHaveLength(0);
      expect(tracks.every((track) => track.stop.mock.calls.length === 0)).toBe(true);

      socket.fire('host-presence', { present: true });
      expect(store.hostPresent()).toBe(true);

      // Someone else's admission is not ours.
      socket.fire('admitted', { requestId: 'request-9999' });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(socket.sent('join')).toHaveLength(1);

      joinAnswers.push(joined([MEMBER], false, 'waiting-identity'));
      socket.fire('admitted', { requestId: REQUEST });
      await new Promise((resolve) => setTimeout(resolve, 0));
      const joins = socket.sent('join');
      expect(joins).toHaveLength(2);
      expect(joins[1][0]).toMatchObject({ roomId: 'abc-defg-hij', name: 'Ann', identity: 'waiting-identity' });
      expect(store.phase()).toBe('in-call');
      expect(store.peers().map((peer) => peer.peerId)).toEqual([MEMBER]);
    });

    it('shows the denied page when the host says no, and lets go of the connection', async () => {
      joinAnswers.push(waitingAck());
      const socket = await join();
      socket.fire('join-denied', { requestId: REQUEST, reason: 'denied' });
      expect(store.phase()).toBe('denied');
      expect(socket.listenerCount()).toBe(0);
      expect(socket.disconnected).toBe(true);
    });

    it('a request that lapsed or met a lock is back in the lobby with the reason', async () => {
      joinAnswers.push(waitingAck());
      await join();
      sockets.at(-1)?.fire('join-denied', { requestId: REQUEST, reason: 'expired' });
      expect(store.phase()).toBe('lobby');
      expect(store.error()).toBe('request-expired');

      joinAnswers.push(waitingAck());
      await join();
      expect(store.error()).toBeNull();
      sockets.at(-1)?.fire('join-denied', { requestId: REQUEST, reason: 'locked' });
      expect(store.error()).toBe('ROOM_LOCKED');
    });

    it('leaving the wait withdraws the request (leave) and is back in the lobby; a late admission does nothing', async () => {
      joinAnswers.push(waitingAck());
      const socket = await join();
      await call.cancelWaiting();
      expect(socket.sent('leave')).toHaveLength(1);
      expect(store.phase()).toBe('lobby');
      expect(socket.listenerCount()).toBe(0);
      socket.fire('admitted', { requestId: REQUEST });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(socket.sent('join')).toHaveLength(1);
    });

    it('asks again with the same join after the signaling connection came back', async () => {
      joinAnswers.push(waitingAck());
      const socket = await join();
      joinAnswers.push(waitingAck());
      socket.fire('disconnect');
      socket.fire('connect');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(socket.sent('join')).toHaveLength(2);
      expect(store.phase()).toBe('waiting');
    });
  });

  describe('the host', () => {
    async function joinAsHost(): Promise<FakeSocket> {
      joinAnswers.push(joinAck([MEMBER], { role: 'host' }));
      return join();
    }

    it('sees who waits (without a cue for those already waiting), answers them, and the list follows the server', async () => {
      let ack: (value: JoinAck) => void = () => undefined;
      const joining = call.join({ roomId: 'abc-defg-hij', name: 'Ann' });
      const socket = sockets[0];
      socket.answer = (event) => (event === 'join' ? new Promise<JoinAck>((resolve) => (ack = resolve)) : { ok: true });
      socket.fire('connect');
      await new Promise((resolve) => setTimeout(resolve, 0));
      // The server lists the waiting room just before the host's join ack.
      socket.fire('join-requests', { requests: [{ requestId: 'request-0001', name: 'Ken', requestedAt: new Date().toISOString() }] });
      ack(joinAck([], { role: 'host' }));
      await joining;
      expect(store.joinRequests()).toEqual([{ requestId: 'request-0001', name: 'Ken' }]);
      expect(store.knocks()).toBe(0);

      socket.fire('join-requests', {
        requests: [
          { requestId: 'request-0001', name: 'Ken', requestedAt: new Date().toISOString() },
          { requestId: 'request-0002', name: 'Mia', requestedAt: new Date().toISOString() },
        ],
      });
      expect(store.knocks()).toBe(1);
      expect(store.notices().at(-1)).toMatchObject({ kind: 'knocked', name: 'Mia' });

      await call.admit('request-0001');
      expect(socket.sent('host:admit')).toEqual([[{ requestId: 'request-0001' }]]);
      expect(store.joinRequests().map((request) => request.name)).toEqual(['Mia']);
      await call.deny('request-0002');
      expect(socket.sent('host:deny')).toEqual([[{ requestId: 'request-0002' }]]);
      expect(store.joinRequests()).toEqual([]);
    });

    it('changes the access mode, and follows a change from the server', async () => {
      const socket = await joinAsHost();
      expect(store.access()).toBe('open');
      await call.setAccess('ask');
      expect(socket.sent('host:access')).toEqual([[{ access: 'ask' }]]);
      expect(store.access()).toBe('ask');
      socket.fire('room-updated', { access: 'locked', locked: true });
      expect(store.access()).toBe('locked');
      expect(store.room()?.locked).toBe(true);
    });

    it('keeps the access mode it had when the server refuses the change', async () => {
      const socket = await joinAsHost();
      socket.answer = () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
      await call.setAccess('locked');
      expect(store.access()).toBe('open');
      expect(store.error()).toBe('FORBIDDEN');
    });

    it('asks one guest, or everyone, to mute', async () => {
      const socket = await joinAsHost();
      await call.mutePeer(MEMBER);
      await call.muteAll();
      expect(socket.sent('host:mute')).toEqual([[{ peerId: MEMBER }]]);
      expect(socket.sent('host:mute-all')).toHaveLength(1);
    });
  });

  describe('muted by the host', () => {
    it('turns the microphone off, tells the others, and says who; only the guest turns it back on', async () => {
      joinAnswers.push(joined([MEMBER]));
      const socket = await join();
      const media = TestBed.inject(LocalMediaService);
      await media.start();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(media.micOn()).toBe(true);

      socket.fire('muted-by-host', { by: 'Hana' });
      await new Promise((resolve) => setTimeout(resolve, 0));
      TestBed.tick();
      expect(media.micOn()).toBe(false);
      expect(store.mutedBy()).toBe('Hana');
      expect(socket.sent('media-state').at(-1)).toEqual([expect.objectContaining({ audio: false })]);

      await call.toggleMic();
      TestBed.tick();
      expect(media.micOn()).toBe(true);
      expect(socket.sent('media-state').at(-1)).toEqual([expect.objectContaining({ audio: true })]);
    });
  });
});
