import { TestBed } from '@angular/core/testing';
import { FakeSocket } from '../../testing/fake-socket';
import { joinAck } from '../../testing/join-ack';
import { APP_ORIGIN } from '../core/browser.tokens';
import { SignalingClient } from './signaling.client';
import { SOCKET_FACTORY } from './socket.factory';

/** A SignalingClient whose every connection attempt gets a new FakeSocket, kept in `sockets`. */
function setup() {
  const sockets: FakeSocket[] = [];
  TestBed.configureTestingModule({
    providers: [
      SignalingClient,
      { provide: APP_ORIGIN, useValue: 'https://meet.example' },
      {
        provide: SOCKET_FACTORY,
        useValue: () => {
          const socket = new FakeSocket();
          sockets.push(socket);
          return socket.asSocket();
        },
      },
    ],
  });
  return { sockets, client: TestBed.inject(SignalingClient) };
}

/** setup(), with the first socket connected. */
async function connected() {
  const made = setup();
  const connecting = made.client.connect();
  made.sockets[0].fire('connect');
  await connecting;
  return made;
}

describe('SignalingClient.connect', () => {
  let sockets: FakeSocket[];
  let client: SignalingClient;

  beforeEach(() => ({ sockets, client } = setup()));

  it('shares one attempt between the lobby warm-up and Join', async () => {
    const warmUp = client.connect();
    const join = client.connect();
    expect(sockets).toHaveLength(1);
    expect(client.state()).toBe('connecting');

    sockets[0].fire('connect');

    await expect(Promise.all([warmUp, join])).resolves.toEqual([undefined, undefined]);
    expect(client.state()).toBe('connected');
    await client.connect();
    expect(sockets).toHaveLength(1);
  });

  it('tries again with a new socket after the first attempt failed', async () => {
    const first = client.connect();
    sockets[0].fire('connect_error', new Error('refused'));
    await expect(first).rejects.toThrow('refused');
    expect(sockets[0].disconnected).toBe(true);

    const second = client.connect();
    expect(sockets).toHaveLength(2);
    sockets[1].fire('connect');
    await expect(second).resolves.toBeUndefined();
  });

  it('opens a new connection after close', async () => {
    const first = client.connect();
    sockets[0].fire('connect');
    await first;

    client.close();
    expect(client.state()).toBe('closed');
    const again = client.connect();
    expect(sockets).toHaveLength(2);
    sockets[1].fire('connect');
    await expect(again).resolves.toBeUndefined();
  });
});

describe('SignalingClient when the server closes the connection itself', () => {
  let sockets: FakeSocket[];
  let client: SignalingClient;

  beforeEach(async () => ({ sockets, client } = await connected()));

  it('opens a new connection at the next connect (the join deadline passed in the lobby)', async () => {
    sockets[0].fire('closing', { code: 'NOT_IN_ROOM', message: 'join within 30 s' });
    sockets[0].fire('disconnect', 'io server disconnect');
    expect(client.state()).toBe('closed');
    expect(sockets[0].listenerCount()).toBe(0);

    const again = client.connect();
    expect(sockets).toHaveLength(2);
    sockets[1].fire('connect');
    await expect(again).resolves.toBeUndefined();
    expect(client.state()).toBe('connected');
  });

  it('keeps the socket when the network dropped it: Socket.IO reconnects that one', async () => {
    sockets[0].fire('disconnect', 'transport close');
    expect(client.state()).toBe('reconnecting');
    sockets[0].fire('connect');
    await client.connect();
    expect(sockets).toHaveLength(1);
  });

  it('tells the closed handlers the reason the server gave, once, and none after close', () => {
    const closed = jest.fn();
    client.onClosed(closed);
    sockets[0].fire('closing', { code: 'RATE_LIMITED', message: 'too many messages' });
    sockets[0].fire('disconnect', 'io server disconnect');
    expect(closed).toHaveBeenCalledTimes(1);
    expect(closed).toHaveBeenCalledWith({ code: 'RATE_LIMITED', message: 'too many messages' });
    sockets[0].fire('disconnect', 'io server disconnect');
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('tells them "no reason" when the server gave none, and drops a malformed closing', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const closed = jest.fn();
    client.onClosed(closed);
    sockets[0].fire('closing', { code: 'GO_AWAY', message: 'bye' });
    sockets[0].fire('disconnect', 'io server disconnect');
    expect(closed).toHaveBeenCalledWith(undefined);
    expect(warn).toHaveBeenCalledWith('signaling: dropped a malformed event', { event: 'closing' });
    warn.mockRestore();
  });

  it('answers a request the server left unanswered with the code it closed with', async () => {
    let drop: (error: Error) => void = () => undefined;
    sockets[0].answer = () => new Promise((_, reject) => (drop = reject));
    const join = client.join({ roomId: 'abc-defg-hij', name: 'Ann' });
    sockets[0].fire('closing', { code: 'RATE_LIMITED', message: 'too many connections from your address' });
    sockets[0].fire('disconnect', 'io server disconnect');
    drop(new Error('socket has been disconnected'));
    await expect(join).resolves.toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'too many connections from your address' } });
  });

  it('an unsubscribed closed handler is not told', () => {
    const closed = jest.fn();
    client.onClosed(closed)();
    sockets[0].fire('disconnect', 'io server disconnect');
    expect(closed).not.toHaveBeenCalled();
  });
});

describe('SignalingClient when the network changed under it', () => {
  it('closes a connection that says it is connected, so Socket.IO opens a new one at once', async () => {
    const { sockets, client } = await connected();
    client.reconnectNow();
    expect(sockets[0].io.engine.close).toHaveBeenCalledTimes(1);
    expect(sockets).toHaveLength(1);
  });

  it('starts the next attempt of a reconnect under way at once instead of after the backoff, on the same socket', async () => {
    const { sockets, client } = await connected();
    sockets[0].fire('disconnect', 'transport close');
    client.reconnectNow();
    expect(sockets[0].io.engine.close).not.toHaveBeenCalled();
    expect(sockets[0].connect).toHaveBeenCalledTimes(1);
    // Not connected: the disconnect sends nothing to the server, and the handlers stay for the resume.
    expect(sockets[0].sent('leave')).toEqual([]);
    expect(sockets).toHaveLength(1);
    expect(client.state()).toBe('reconnecting');
  });

  it('starts over an attempt in flight (it may hang on the network that went), but not one it started itself a moment ago', async () => {
    const { sockets, client } = await connected();
    sockets[0].fire('disconnect', 'transport close');
    sockets[0].io._readyState = 'opening';
    client.reconnectNow();
    expect(sockets[0].connect).toHaveBeenCalledTimes(1);
    // The same network change fires `online` and `connection` changes within a second.
    client.reconnectNow();
    client.reconnectNow();
    expect(sockets[0].connect).toHaveBeenCalledTimes(1);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 1500);
    client.reconnectNow();
    expect(sockets[0].connect).toHaveBeenCalledTimes(2);
    jest.restoreAllMocks();
  });

  it('counts the connections it made, and knows when the last was made, so a probe can tell whether its answer is about the current one', async () => {
    const before = Date.now();
    const { sockets, client } = await connected();
    expect(client.connections).toBe(1);
    expect(client.connectedSince).toBeGreaterThanOrEqual(before);
    sockets[0].fire('disconnect', 'transport close');
    sockets[0].fire('connect');
    expect(client.connections).toBe(2);
  });

  it('gives a probe only the time it was given', async () => {
    const { sockets, client } = await connected();
    const timeout = jest.spyOn(sockets[0], 'timeout');
    await client.sendWithin(3000, 'media-state', { audio: true, video: false, screen: false });
    expect(timeout).toHaveBeenCalledWith(3000);
  });
});

describe('SignalingClient destroyed with its page (the app navigated away)', () => {
  const request = { roomId: 'abc-defg-hij', name: 'Ann' };
  const accepted = joinAck();
  const refused = { ok: false, error: { code: 'ROOM_FULL', message: 'full' } };
  let sockets: FakeSocket[];
  let client: SignalingClient;

  beforeEach(async () => ({ sockets, client } = await connected()));

  /** Joined: the server holds a seat for this connection. */
  async function seated(): Promise<void> {
    sockets[0].answer = (event) => (event === 'join' ? accepted : { ok: true });
    await expect(client.join(request)).resolves.toMatchObject({ ok: true });
  }

  it('gives up a seat it holds with leave, and disconnects once the server acknowledged it', async () => {
    await seated();
    TestBed.resetTestingModule();
    const leaves = sockets[0].sent('leave');
    expect(leaves).toHaveLength(1);
    expect(sockets[0].listenerCount()).toBe(0);
    // Not in the same breath: a Socket.IO server drops an event read together with the disconnect after it.
    expect(sockets[0].disconnected).toBe(false);
    const [ack] = leaves[0] as [(answer: unknown) => void];
    ack({ ok: true });
    expect(sockets[0].disconnected).toBe(true);
  });

  it('disconnects after 1.5 s when the leave is not acknowledged, and leaves no timer', async () => {
    await seated();
    jest.useFakeTimers();
    try {
      TestBed.resetTestingModule();
      jest.advanceTimersByTime(1499);
      expect(sockets[0].disconnected).toBe(false);
      jest.advanceTimersByTime(1);
      expect(sockets[0].disconnected).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  /** The page goes away: no leave beyond those already sent, and the socket is closed. */
  function expectNoFarewell(): void {
    const leaves = sockets[0].sent('leave').length;
    TestBed.resetTestingModule();
    expect(sockets[0].sent('leave')).toHaveLength(leaves);
    expect(sockets[0].disconnected).toBe(true);
  }

  it('says nothing in the lobby', () => expectNoFarewell());

  it('says nothing after a refused join', async () => {
    sockets[0].answer = () => refused;
    await client.join(request);
    expectNoFarewell();
  });

  it('says nothing after a rejoin was refused', async () => {
    sockets[0].answer = () => accepted;
    await client.join(request);
    sockets[0].answer = () => refused;
    await client.join(request);
    expectNoFarewell();
  });

  it('says nothing more after leave', async () => {
    sockets[0].answer = (event) => (event === 'join' ? accepted : { ok: true });
    await client.join(request);
    await client.send('leave');
    expectNoFarewell();
  });
});

describe('SignalingClient.leaveAndClose', () => {
  it('says leave before it disconnects, without waiting for the ack (the page is going away)', async () => {
    const { sockets, client } = await connected();
    sockets[0].answer = () => new Promise(() => undefined);

    client.leaveAndClose();
    expect(sockets[0].sent('leave')).toHaveLength(1);
    expect(sockets[0].disconnected).toBe(true);
    expect(sockets[0].listenerCount()).toBe(0);
    expect(client.state()).toBe('closed');
  });
});

describe('SignalingClient', () => {
  let sockets: FakeSocket[];
  let client: SignalingClient;

  beforeEach(async () => ({ sockets, client } = await connected()));

  it('hands a handler only events that pass their schema', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: unknown[] = [];
    client.on('room-updated', (event) => seen.push(event));
    sockets[0].fire('room-updated', { access: 'locked', locked: true });
    sockets[0].fire('room-updated', { locked: 'yes' });
    expect(seen).toEqual([{ access: 'locked', locked: true }]);
    expect(warn).toHaveBeenCalledWith('signaling: dropped a malformed event', { event: 'room-updated' });
    warn.mockRestore();
  });

  it('sends the contract\'s events with their payloads and parses the ack', async () => {
    sockets[0].answer = () => ({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } });
    await expect(client.send('chat', { text: 'hi' })).resolves.toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } });
    await client.send('leave');
    client.signal({ to: 'peer-0001', data: { candidate: null } });
    expect(sockets[0].emitted).toEqual([
      { event: 'chat', args: [{ text: 'hi' }] },
      { event: 'leave', args: [] },
      { event: 'signal', args: [{ to: 'peer-0001', data: { candidate: null } }] },
    ]);
    sockets[0].answer = () => ({ ok: 'maybe' });
    await expect(client.send('host:end')).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('refuses, at compile time, an event or payload the contract does not have', () => {
    // Never called: the compiler checks these lines (tsconfig.spec in `nx typecheck web`).
    const misuse = () => {
      // @ts-expect-error not an event of the contract
      void client.send('shout', { text: 'hi' });
      // @ts-expect-error chat takes {text}
      void client.send('chat', { body: 'hi' });
      // @ts-expect-error leave takes no payload
      void client.send('leave', { reason: 'bye' });
      // @ts-expect-error a signal names its target
      client.signal({ data: { candidate: null } });
      // @ts-expect-error the server sends no such event
      client.on('peer-shouted', () => undefined);
    };
    expect(typeof misuse).toBe('function');
  });

  it('runs reconnect handlers on each reconnection, not the first connection, until unsubscribed', () => {
    const reconnects = jest.fn();
    const unsubscribe = client.onReconnect(reconnects);
    expect(reconnects).not.toHaveBeenCalled();
    sockets[0].fire('disconnect');
    expect(client.state()).toBe('reconnecting');
    sockets[0].fire('connect');
    expect(reconnects).toHaveBeenCalledTimes(1);
    unsubscribe();
    sockets[0].fire('connect');
    expect(reconnects).toHaveBeenCalledTimes(1);
  });

  describe('listener cleanup', () => {
    it('an unsubscribe removes exactly the socket listener it added', () => {
      const before = sockets[0].listenerCount('signal');
      const first = jest.fn();
      const second = jest.fn();
      const off = client.on('signal', first);
      client.on('signal', second);
      off();
      expect(sockets[0].listenerCount('signal')).toBe(before + 1);
      sockets[0].fire('signal', { from: 'peer-0001', data: { candidate: null } });
      expect(first).not.toHaveBeenCalled();
      expect(second).toHaveBeenCalledTimes(1);
    });

    it('close leaves no socket listener and no reconnect handler behind', async () => {
      const reconnects = jest.fn();
      client.onReconnect(reconnects);
      client.on('peer-joined', jest.fn());
      client.close();
      expect(sockets[0].listenerCount()).toBe(0);
      expect(sockets[0].disconnected).toBe(true);

      // The next call's connection reconnects without the old call's handler.
      const again = client.connect();
      sockets[1].fire('connect');
      await again;
      sockets[1].fire('disconnect');
      sockets[1].fire('connect');
      expect(reconnects).not.toHaveBeenCalled();
    });

    it('a failed first connection leaves no listener behind', async () => {
      client.close();
      const attempt = client.connect();
      sockets[1].fire('connect_error', new Error('refused'));
      await expect(attempt).rejects.toThrow('refused');
      expect(sockets[1].listenerCount()).toBe(0);
    });
  });
});
