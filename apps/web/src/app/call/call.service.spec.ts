import { TestBed } from '@angular/core/testing';
import type { JoinAck, SignalData } from '@mesh-meet/protocol';
import { callProviders } from '../../testing/call-providers';
import { FakePeerConnection, FakeTrack } from '../../testing/fake-peer-connection';
import { FakeSocket } from '../../testing/fake-socket';
import { joinAck } from '../../testing/join-ack';
import { MemoryStorage, ON_PAGE_HIDE, STORAGE } from '../core/browser.tokens';
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

  beforeEach(() => {
    sockets = [];
    joinAnswers = [];
    storage = new MemoryStorage();
    pageHide = new FakePageHide();
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
      await call.setLocked(true); // a guest: the server refuses
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
});
