import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttendanceResponse, JoinAck, PeerJoined, PeerLeft, SignalEvent } from '@mesh-meet/protocol';
import {
  connectClient,
  dropConnection,
  createRoom,
  describeWith,
  externalService,
  joinAs,
  nextEvent,
  recordEvents,
  request,
  type ServerProcess,
  startServerProcess,
  waitFor,
} from '@mesh-meet/testing';

const redisUrl = externalService('REDIS_TEST_URL', 'two-process Redis');

describeWith(redisUrl)('two server processes on one Redis', () => {
  let dataDir: string;
  let first: ServerProcess;
  let second: ServerProcess;
  let shared: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mesh-meet-cluster-'));
    // One database for both (SQLite in WAL mode takes several processes); the first applies the migrations.
    shared = {
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl as string,
      MAX_PARTICIPANTS: '3',
      JOIN_PER_MINUTE: '1000',
      // The per-address limits live in Redis, shared by both processes and by a run a minute earlier.
      ROOM_CREATE_PER_MINUTE: '1000',
      RECONNECT_GRACE_MS: '1000',
    };
    first = await startServerProcess({ ...shared, NODE_ID: `first-${process.pid}` });
    second = await startServerProcess({ ...shared, NODE_ID: `second-${process.pid}` });
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('relays offer, answer, candidates and peer-left between clients on different processes', async () => {
    const room = await createRoom(first.url);
    const a = await joinAs(first.url, room.roomId, 'On first', { hostKey: room.hostKey });
    const announced = nextEvent<PeerJoined>(a.socket, 'peer-joined');
    const b = await joinAs(second.url, room.roomId, 'On second');
    expect(b.joined.peers.map((peer) => peer.name)).toEqual(['On first']);
    expect((await announced).peerId).toBe(b.joined.self.peerId);

    const offer = { description: { type: 'offer', sdp: 'v=0\r\n' } };
    const gotOffer = nextEvent<SignalEvent>(b.socket, 'signal');
    expect(await request(a.socket, 'signal', { to: b.joined.self.peerId, data: offer })).toEqual({ ok: true });
    expect(await gotOffer).toEqual({ from: a.joined.self.peerId, data: offer });

    const answer = { description: { type: 'answer', sdp: 'v=0\r\n' } };
    const gotAnswer = nextEvent<SignalEvent>(a.socket, 'signal');
    await request(b.socket, 'signal', { to: a.joined.self.peerId, data: answer });
    expect(await gotAnswer).toEqual({ from: b.joined.self.peerId, data: answer });

    const candidate = { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
    const gotCandidate = nextEvent<SignalEvent>(a.socket, 'signal');
    await request(b.socket, 'signal', { to: a.joined.self.peerId, data: candidate });
    expect((await gotCandidate).data).toEqual(candidate);

    const left = nextEvent<PeerLeft>(a.socket, 'peer-left');
    await request(b.socket, 'leave');
    expect(await left).toEqual({ peerId: b.joined.self.peerId, reason: 'left' });
    b.socket.disconnect();
    a.socket.disconnect();
  });

  it('holds capacity, lock and host rights across processes', async () => {
    const room = await createRoom(first.url);
    const host = await joinAs(first.url, room.roomId, 'Host', { hostKey: room.hostKey });
    const guests = [await joinAs(second.url, room.roomId, 'G1'), await joinAs(first.url, room.roomId, 'G2')];
    const extra = await connectClient(second.url);
    expect(await request<JoinAck>(extra, 'join', { roomId: room.roomId, name: 'G3' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_FULL' },
    });

    const removed = nextEvent(guests[0].socket, 'removed');
    expect(await request(host.socket, 'host:remove', { peerId: guests[0].joined.self.peerId })).toEqual({ ok: true });
    await removed;
    expect(await request(guests[0].socket, 'host:lock', { locked: true })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(await request(host.socket, 'host:lock', { locked: true })).toEqual({ ok: true });
    expect(await request<JoinAck>(extra, 'join', { roomId: room.roomId, name: 'G3' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_LOCKED' },
    });

    const ended = nextEvent(guests[1].socket, 'room-ended');
    await request(host.socket, 'host:end');
    await ended;
    for (const socket of [host.socket, ...guests.map((guest) => guest.socket), extra]) socket.disconnect();
  });

  it('resumes on the other process without the room noticing, and the old grace timer removes nobody', async () => {
    const room = await createRoom(first.url);
    const stays = await joinAs(first.url, room.roomId, 'Stays');
    const moves = await joinAs(second.url, room.roomId, 'Moves');
    const departures = recordEvents<PeerLeft>(stays.socket, 'peer-left');
    dropConnection(moves.socket);
    const again = await connectClient(first.url);
    const ack = await request<JoinAck>(again, 'join', {
      roomId: room.roomId,
      name: 'Moves',
      resume: { peerId: moves.joined.self.peerId, token: moves.joined.self.resumeToken },
    });
    expect(ack).toMatchObject({ ok: true, self: { peerId: moves.joined.self.peerId, resumed: true } });
    // Wait until the second process's grace timer for Moves has run: a control member of another
    // room drops from the same process afterwards, and its timer (same length, started later)
    // fires after Moves's, so its peer-left arriving means Moves's timer has had its turn.
    const control = await createRoom(first.url);
    const watcher = await joinAs(first.url, control.roomId, 'Watcher');
    const drops = await joinAs(second.url, control.roomId, 'Drops');
    const controlLeft = nextEvent<PeerLeft>(watcher.socket, 'peer-left');
    dropConnection(drops.socket);
    expect(await controlLeft).toEqual({ peerId: drops.joined.self.peerId, reason: 'disconnected' });
    watcher.socket.disconnect();
    const info = (await (await fetch(`${first.url}/api/rooms/${room.roomId}`)).json()) as { participants: number };
    expect(info.participants).toBe(2);
    expect(departures).toEqual([]);
    stays.socket.disconnect();
    again.disconnect();
  });

  it('relays to the connection a member resumed on elsewhere, not only to its old one here', async () => {
    const room = await createRoom(first.url);
    const sender = await joinAs(first.url, room.roomId, 'Sender');
    const moves = await joinAs(first.url, room.roomId, 'Moves');
    // The old connection is still open on the first process (a phone that changed networks:
    // the server has not noticed yet) while the browser resumes on the second.
    const resumed = await connectClient(second.url);
    const ack = await request<JoinAck>(resumed, 'join', {
      roomId: room.roomId,
      name: 'Moves',
      resume: { peerId: moves.joined.self.peerId, token: moves.joined.self.resumeToken },
    });
    expect(ack).toMatchObject({ ok: true, self: { resumed: true } });

    const offer = { description: { type: 'offer', sdp: 'v=0\r\n' } };
    const arrives = nextEvent<SignalEvent>(resumed, 'signal');
    await request(sender.socket, 'signal', { to: moves.joined.self.peerId, data: offer });
    expect(await arrives).toEqual({ from: sender.joined.self.peerId, data: offer });

    // And back from the second process to the first, where the sender is local.
    const answer = { description: { type: 'answer', sdp: 'v=0\r\n' } };
    const back = nextEvent<SignalEvent>(sender.socket, 'signal');
    await request(resumed, 'signal', { to: sender.joined.self.peerId, data: answer });
    expect(await back).toEqual({ from: moves.joined.self.peerId, data: answer });
    for (const socket of [sender.socket, moves.socket, resumed]) socket.disconnect();
  });

  it('lets a SIGKILLed process’s members go within 20 s, and keeps the one who resumed elsewhere, across its restart', async () => {
    const doomedEnv = { ...shared, NODE_ID: `doomed-${process.pid}` };
    const doomed = await startServerProcess(doomedEnv);
    const room = await createRoom(first.url);
    const stays = await joinAs(first.url, room.roomId, 'Stays', { hostKey: room.hostKey });
    const lost = await joinAs(doomed.url, room.roomId, 'Never returns');
    const moves = await joinAs(doomed.url, room.roomId, 'Moves');
    const departures = recordEvents<PeerLeft>(stays.socket, 'peer-left');

    await doomed.kill('SIGKILL');
    const killedAt = Date.now();
    const resumed = await connectClient(first.url);
    const resume = { peerId: moves.joined.self.peerId, token: moves.joined.self.resumeToken };
    expect(await request<JoinAck>(resumed, 'join', { roomId: room.roomId, name: 'Moves', resume })).toMatchObject({
      ok: true,
      self: { resumed: true },
    });

    // Nobody joins the room meanwhile: the sweeper, not a join, has to find the dead process.
    await waitFor(() => departures.length > 0, { what: 'peer-left for the dead process’s member', timeoutMs: 20_000 });
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    expect(departures).toEqual([{ peerId: lost.joined.self.peerId, reason: 'disconnected' }]);
    const count = async () => ((await (await fetch(`${first.url}/api/rooms/${room.roomId}`)).json()) as { participants: number }).participants;
    expect(await count()).toBe(2);

    // The dead process comes back under its NODE_ID: its crash recovery must not close Moves's row.
    const again = await startServerProcess(doomedEnv);
    try {
      const response = await fetch(`${first.url}/api/rooms/${room.roomId}/attendance`, { headers: { authorization: `Bearer ${room.hostKey}` } });
      const report = (await response.json()) as AttendanceResponse;
      const byName = Object.fromEntries(report.entries.map((entry) => [entry.name, entry]));
      expect(byName['Moves']).toMatchObject({ leftAt: null });
      expect(byName['Stays']).toMatchObject({ leftAt: null });
      expect(byName['Never returns']).toMatchObject({ leftReason: 'disconnected', leftAt: expect.any(String) });
      expect(await count()).toBe(2);
      expect(departures).toHaveLength(1);
    } finally {
      await again.stop();
      for (const socket of [stays.socket, lost.socket, moves.socket, resumed]) socket.disconnect();
    }
  }, 60_000);

  it('keeps a removed identity out on every process', async () => {
    const room = await createRoom(first.url);
    const host = await joinAs(first.url, room.roomId, 'Host', { hostKey: room.hostKey });
    const guest = await joinAs(second.url, room.roomId, 'Guest');
    expect(await request(host.socket, 'host:remove', { peerId: guest.joined.self.peerId })).toEqual({ ok: true });
    const identity = guest.joined.self.identity;
    await expect(joinAs(second.url, room.roomId, 'Guest', { identity })).rejects.toThrow(/REMOVED/);
    await expect(joinAs(first.url, room.roomId, 'Guest', { identity })).rejects.toThrow(/REMOVED/);
    host.socket.disconnect();
    guest.socket.disconnect();
  });

  it('reports Redis in /health', async () => {
    const response = await fetch(`${second.url}/health`);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up', redis: 'up' });
  });
});
