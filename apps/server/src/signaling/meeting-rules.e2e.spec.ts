import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttendanceResponse, ChatMessage, Closing, JoinAck, OkAck, PeerJoined, PeerLeft } from '@mesh-meet/protocol';
import { SIGNALING_NAMESPACE } from '@mesh-meet/protocol';
import {
  type TestSocket,
  connectClient,
  createRoom,
  dropConnection,
  joinAs,
  nextEvent,
  recordEvents,
  request,
  type ServerProcess,
  startServerProcess,
  waitFor,
} from '@mesh-meet/testing';
import { type TestServer, startTestServer } from '../testing/test-server';

const QUICK = { JOIN_PER_MINUTE: '1000', ROOM_CREATE_PER_MINUTE: '1000' };

async function participants(server: { url: string }, roomId: string): Promise<number> {
  const response = await fetch(`${server.url}/api/rooms/${roomId}`);
  return ((await response.json()) as { participants: number }).participants;
}

async function attendanceOf(server: TestServer, roomId: string, hostKey: string): Promise<AttendanceResponse> {
  const response = await fetch(`${server.url}/api/rooms/${roomId}/attendance`, { headers: { authorization: `Bearer ${hostKey}` } });
  return (await response.json()) as AttendanceResponse;
}

/**
 * A client whose listeners are in place before it connects: the server may
 * close a connection (with `closing`) in the same moment it accepts it.
 */
async function watchedClient(url: string): Promise<{ socket: TestSocket; closing: Promise<Closing>; gone: Promise<string> }> {
  const { io } = await import('socket.io-client');
  const socket: TestSocket = io(`${url}${SIGNALING_NAMESPACE}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  const closing = nextEvent<Closing>(socket, 'closing', 10_000);
  const gone = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  closing.catch(() => undefined);
  socket.connect();
  return { socket, closing, gone };
}

/** The sockets a describe block opens, closed after each of its tests; `track` keeps a joined client's. */
function closedAfterEach(): { sockets: TestSocket[]; track: <T extends { socket: TestSocket }>(joined: T) => T } {
  const sockets: TestSocket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  const track = <T extends { socket: TestSocket }>(joined: T): T => {
    sockets.push(joined.socket);
    return joined;
  };
  return { sockets, track };
}

const redisUrl = process.env['REDIS_TEST_URL'];
const stores: Array<[string, Record<string, string>]> = [['in-memory membership', {}]];
if (redisUrl) stores.push(['Redis membership', { REDIS_URL: redisUrl }]);

describe.each(stores)('one seat per connection (%s)', (_label, storeEnv) => {
  // The built server as a process: it owns its Redis connections and ends them with itself.
  let server: ServerProcess;
  const { sockets } = closedAfterEach();
  beforeAll(async () => {
    server = await startServerProcess({ ...QUICK, ...storeEnv, RECONNECT_GRACE_MS: '300' });
  });
  afterAll(() => server.stop());

  it('takes concurrent joins one at a time: one seat, and nothing heard from either room after leave', async () => {
    const [one, two] = [await createRoom(server.url), await createRoom(server.url)];
    const watchers = [await joinAs(server.url, one.roomId, 'W1'), await joinAs(server.url, two.roomId, 'W2')];
    sockets.push(...watchers.map((watcher) => watcher.socket));
    const socket = await connectClient(server.url);
    sockets.push(socket);

    const acks = await Promise.all(
      [one, two, one, two, one].map((room, index) => request<JoinAck>(socket, 'join', { roomId: room.roomId, name: `J${index}` })),
    );
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, true]);
    expect((await participants(server, one.roomId)) + (await participants(server, two.roomId))).toBe(3);

    expect(await request(socket, 'leave')).toEqual({ ok: true });
    const heard = recordEvents<ChatMessage>(socket, 'chat-message');
    for (const watcher of watchers) expect(await request(watcher.socket, 'chat', { text: 'still there?' })).toEqual({ ok: true });
    // The socket's own round trip after the chats: anything sent to it has arrived by now.
    expect(await request(socket, 'leave')).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(heard).toEqual([]);
    expect(await participants(server, one.roomId)).toBe(1);
    expect(await participants(server, two.roomId)).toBe(1);
  });

  it('leaves no seat behind when a socket sends joins at once and then drops', async () => {
    const [one, two] = [await createRoom(server.url), await createRoom(server.url)];
    const watcher = await joinAs(server.url, one.roomId, 'Watcher');
    sockets.push(watcher.socket);
    const arrivals = recordEvents<PeerJoined>(watcher.socket, 'peer-joined');
    const departures = recordEvents<PeerLeft>(watcher.socket, 'peer-left');
    const socket = await connectClient(server.url);
    // Gone before any join is answered: the joins are still under way when the disconnect arrives.
    // Sent without an ack (the handler runs all the same): nothing waits for answers that will not come.
    const send = socket as unknown as { emit(event: string, payload: unknown): void };
    for (const [index, room] of [one, two, one, two].entries()) send.emit('join', { roomId: room.roomId, name: `J${index}` });
    dropConnection(socket);
    await waitFor(async () => (await participants(server, one.roomId)) + (await participants(server, two.roomId)) === 1, {
      what: 'only the watcher left after the grace period',
      timeoutMs: 5000,
    });
    // Every seat the watcher saw taken, it saw freed: no ghost on its screen.
    expect(arrivals.length).toBeGreaterThan(0);
    await waitFor(() => departures.length >= arrivals.length, { what: 'a peer-left for every peer-joined', timeoutMs: 2000 });
    expect(departures.map((left) => left.peerId).sort()).toEqual(arrivals.map((joined) => joined.peerId).sort());
  });
});

describe('meeting rules on one process', () => {
  let server: TestServer;
  const { sockets, track } = closedAfterEach();
  beforeAll(async () => {
    server = await startTestServer({ ...QUICK, MAX_PARTICIPANTS: '3', RECONNECT_GRACE_MS: '60000' });
  });
  afterAll(() => server.close());

  it('admits the host into a full room, where the host can lock, remove and end', async () => {
    const room = await createRoom(server.url);
    const guests = [];
    for (const name of ['G1', 'G2', 'G3']) guests.push(track(await joinAs(server.url, room.roomId, name)));
    await expect(joinAs(server.url, room.roomId, 'G4')).rejects.toThrow(/ROOM_FULL/);

    const host = track(await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey }));
    expect(host.joined.self.role).toBe('host');
    expect(host.joined.peers).toHaveLength(3);
    expect(await request(host.socket, 'host:lock', { locked: true })).toEqual({ ok: true });
    expect(await request(host.socket, 'host:remove', { peerId: guests[0].joined.self.peerId })).toEqual({ ok: true });
    const ended = nextEvent(guests[1].socket, 'room-ended');
    expect(await request(host.socket, 'host:end')).toEqual({ ok: true });
    await ended;
  });

  it('gives a client that alters another person’s identity token its own userId, and attendance names each right', async () => {
    const room = await createRoom(server.url);
    const ada = track(await joinAs(server.url, room.roomId, 'Ada'));
    const token = ada.joined.self.identity;
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const mallory = track(await joinAs(server.url, room.roomId, 'Mallory', { identity: altered }));
    expect(mallory.joined.self.userId).not.toBe(ada.joined.self.userId);
    expect(mallory.joined.self.identity).not.toBe(token);

    const report = await attendanceOf(server, room.roomId, room.hostKey);
    const byName = Object.fromEntries(report.entries.map((entry) => [entry.name, entry.userId]));
    expect(byName).toEqual({ Ada: ada.joined.self.userId, Mallory: mallory.joined.self.userId });
  });

  it('keeps a removed identity out of that meeting, from the very next join, but not its host key', async () => {
    const room = await createRoom(server.url);
    const host = track(await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey }));
    const guest = track(await joinAs(server.url, room.roomId, 'Guest'));
    const identity = guest.joined.self.identity;

    const removed = nextEvent(guest.socket, 'removed');
    // Rejoin the moment the removal arrives, as a scripted client would.
    const rejoin = removed.then(() => request<JoinAck>(guest.socket, 'join', { roomId: room.roomId, name: 'Guest', identity }));
    expect(await request(host.socket, 'host:remove', { peerId: guest.joined.self.peerId })).toEqual({ ok: true });
    expect(await rejoin).toMatchObject({ ok: false, error: { code: 'REMOVED' } });
    await expect(joinAs(server.url, room.roomId, 'Guest again', { identity })).rejects.toThrow(/REMOVED/);

    // Another meeting is not affected, and whoever holds the host key gets into its own.
    const other = await createRoom(server.url);
    track(await joinAs(server.url, other.roomId, 'Guest', { identity }));
    track(await joinAs(server.url, room.roomId, 'Host too', { identity, hostKey: room.hostKey }));
  });

  it('counts a client closing its socket as leaving at once, and a dropped network as a pause', async () => {
    const room = await createRoom(server.url);
    const stays = track(await joinAs(server.url, room.roomId, 'Stays'));
    const closes = await joinAs(server.url, room.roomId, 'Closes tab');
    const left = nextEvent<PeerLeft>(stays.socket, 'peer-left', 2000);
    closes.socket.disconnect();
    // The grace period here is 60 s: only a leave can be this quick.
    expect(await left).toEqual({ peerId: closes.joined.self.peerId, reason: 'left' });

    const drops = await joinAs(server.url, room.roomId, 'Drops');
    const departures = recordEvents<PeerLeft>(stays.socket, 'peer-left');
    dropConnection(drops.socket);
    const again = await connectClient(server.url);
    sockets.push(again);
    const resume = { peerId: drops.joined.self.peerId, token: drops.joined.self.resumeToken };
    expect(await request<JoinAck>(again, 'join', { roomId: room.roomId, name: 'Drops', resume })).toMatchObject({
      ok: true,
      self: { resumed: true },
    });
    expect(departures).toEqual([]);
  });

  it('limits chat to a burst of five, then one a second, per connection', async () => {
    const room = await createRoom(server.url);
    const talker = track(await joinAs(server.url, room.roomId, 'Talker'));
    const acks = await Promise.all(Array.from({ length: 7 }, (_, i) => request<OkAck>(talker.socket, 'chat', { text: `m${i}` })));
    expect(acks.filter((ack) => ack.ok)).toHaveLength(5);
    expect(acks.slice(5)).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
    ]);
    expect(talker.socket.connected).toBe(true);
  });

  it('closes a connection that keeps flooding after RATE_LIMITED, telling it why', async () => {
    const room = await createRoom(server.url);
    const bystander = track(await joinAs(server.url, room.roomId, 'Bystander'));
    const { socket, closing, gone } = await watchedClient(server.url);
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (let i = 0; i < 400; i += 1) socket.emit('media-state', { audio: true, video: false, screen: false });
    expect(await closing).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await gone).toBe('io server disconnect');
    // The server goes on for everyone else.
    expect(await request(bystander.socket, 'media-state', { audio: false, video: false, screen: false })).toEqual({ ok: true });
  });
});

describe('connection limits', () => {
  it('closes sockets past MAX_SOCKETS_PER_ADDRESS with RATE_LIMITED, and counts a closed one out', async () => {
    const server = await startTestServer({ MAX_SOCKETS_PER_ADDRESS: '2' });
    const sockets: TestSocket[] = [];
    try {
      sockets.push(await connectClient(server.url), await connectClient(server.url));
      const third = await watchedClient(server.url);
      sockets.push(third.socket);
      expect(await third.closing).toMatchObject({ code: 'RATE_LIMITED' });
      expect(await third.gone).toBe('io server disconnect');

      sockets[0].disconnect();
      await waitFor(
        async () => {
          const next = await connectClient(server.url);
          sockets.push(next);
          // Accepted ones stay: a round trip answers instead of a close.
          const ack = await request<OkAck>(next, 'leave').catch(() => undefined);
          return ack?.ok === false && ack.error.code === 'NOT_IN_ROOM';
        },
        { what: 'a socket accepted once another closed', timeoutMs: 3000 },
      );
    } finally {
      for (const socket of sockets) socket.disconnect();
      await server.close();
    }
  });

  it('closes a connection that joins no meeting within JOIN_DEADLINE_MS, and keeps one that did', async () => {
    const server = await startTestServer({ JOIN_DEADLINE_MS: '400' });
    try {
      const room = await createRoom(server.url);
      const member = await joinAs(server.url, room.roomId, 'Member');
      const idle = await watchedClient(server.url);
      expect(await idle.closing).toMatchObject({ code: 'NOT_IN_ROOM' });
      expect(await idle.gone).toBe('io server disconnect');
      // The member's deadline came first (it connected first) and found it in the meeting.
      expect(member.socket.connected).toBe(true);
      expect(await request(member.socket, 'media-state', { audio: true, video: false, screen: false })).toEqual({ ok: true });
      member.socket.disconnect();
    } finally {
      await server.close();
    }
  });
});

describe('removal across a restart', () => {
  it('keeps the removed identity out after the server restarts on the same database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-meet-removal-'));
    try {
      let server = await startTestServer({ DATA_DIR: dataDir });
      const room = await createRoom(server.url);
      const host = await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey });
      const guest = await joinAs(server.url, room.roomId, 'Guest');
      await request(host.socket, 'host:remove', { peerId: guest.joined.self.peerId });
      host.socket.disconnect();
      guest.socket.disconnect();
      await server.close();

      server = await startTestServer({ DATA_DIR: dataDir });
      try {
        await expect(joinAs(server.url, room.roomId, 'Guest', { identity: guest.joined.self.identity })).rejects.toThrow(/REMOVED/);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
