import { createHmac } from 'node:crypto';
import type { AttendanceResponse, ChatMessage, JoinAck, OkAck, PeerJoined, PeerLeft, PeerResumed, SignalEvent } from '@mesh-meet/protocol';
import { type TestServer, startTestServer } from '../testing/test-server';
import {
  type TestSocket,
  connectClient,
  dropConnection,
  createRoom,
  joinAs,
  nextEvent,
  recordEvents,
  request,
  startServerProcess,
} from '@mesh-meet/testing';

const OFFER = { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };
const CANDIDATE = { candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };

describe('signaling gateway (real app, real socket.io-client)', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  const track = <T extends { socket: TestSocket }>(joined: T): T => {
    sockets.push(joined.socket);
    return joined;
  };

  beforeAll(async () => {
    server = await startTestServer({
      MAX_PARTICIPANTS: '3',
      JOIN_PER_MINUTE: '1000',
      ROOM_CREATE_PER_MINUTE: '1000',
      // A short grace keeps the disconnect tests quick; resuming has its own suite below.
      RECONNECT_GRACE_MS: '200',
    });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a join with own peer id, the peers already there, and tells them', async () => {
    const room = await createRoom(server.url, 'Standup');
    const host = track(await joinAs(server.url, room.roomId, 'Hana', { hostKey: room.hostKey }));
    expect(host.joined.self.role).toBe('host');
    expect(host.joined.peers).toEqual([]);
    expect(host.joined.room).toMatchObject({ roomId: room.roomId, name: 'Standup', locked: false });

    const announced = nextEvent<PeerJoined>(host.socket, 'peer-joined');
    const guest = track(await joinAs(server.url, room.roomId, '  Guest One  '));
    expect(guest.joined.self.role).toBe('guest');
    expect(guest.joined.peers).toEqual([
      { peerId: host.joined.self.peerId, name: 'Hana', role: 'host', media: { audio: false, video: false, screen: false } },
    ]);
    expect(await announced).toEqual({
      peerId: guest.joined.self.peerId,
      name: 'Guest One',
      role: 'guest',
      media: { audio: false, video: false, screen: false },
    });
    expect(JSON.stringify(guest.joined)).not.toContain(room.hostKey);
  });

  it("tells the members and later newcomers that a newcomer offers first, and only when it asked", async () => {
    const room = await createRoom(server.url);
    const member = track(await joinAs(server.url, room.roomId, 'Chromium'));
    const announced = nextEvent<PeerJoined>(member.socket, 'peer-joined');
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const fox = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'Firefox', offersFirst: true });
    expect(fox.ok).toBe(true);
    expect(await announced).toMatchObject({ name: 'Firefox', offersFirst: true });
    const later = track(await joinAs(server.url, room.roomId, 'Later'));
    expect(later.joined.peers.map((peer) => [peer.name, peer.offersFirst])).toEqual([
      ['Chromium', undefined],
      ['Firefox', true],
    ]);
    const refused = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'F', offersFirst: 'yes' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('issues an identity, recognises it at the next join, and lets nobody claim another one', async () => {
    const room = await createRoom(server.url);
    const first = track(await joinAs(server.url, room.roomId, 'A'));
    expect(first.joined.self.userId).toMatch(/^[0-9a-f-]{36}$/);
    const again = track(await joinAs(server.url, room.roomId, 'A again', { identity: first.joined.self.identity }));
    expect(again.joined.self.userId).toBe(first.joined.self.userId);

    // A forged token (someone else's userId with a made-up signature) makes nobody in particular.
    const forged = `${first.joined.self.userId}.${'A'.repeat(43)}`;
    const impostor = track(await joinAs(server.url, room.roomId, 'Impostor', { identity: forged }));
    expect(impostor.joined.self.userId).not.toBe(first.joined.self.userId);

    // The browser-chosen userId of earlier releases is not a field any more.
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const claimed = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'C', userId: first.joined.self.userId });
    expect(claimed).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('relays a signal to the named peer only, stamped with the sender', async () => {
    const room = await createRoom(server.url);
    const a = track(await joinAs(server.url, room.roomId, 'A'));
    const b = track(await joinAs(server.url, room.roomId, 'B'));
    const c = track(await joinAs(server.url, room.roomId, 'C'));
    const seenByC = recordEvents<SignalEvent>(c.socket, 'signal');

    const delivered = nextEvent<SignalEvent>(b.socket, 'signal');
    expect(await request(a.socket, 'signal', { to: b.joined.self.peerId, data: OFFER })).toEqual({ ok: true });
    expect(await delivered).toEqual({ from: a.joined.self.peerId, data: OFFER });

    const candidate = nextEvent<SignalEvent>(b.socket, 'signal');
    await request(a.socket, 'signal', { to: b.joined.self.peerId, data: CANDIDATE });
    expect((await candidate).data).toEqual(CANDIDATE);

    const endOfCandidates = nextEvent<SignalEvent>(b.socket, 'signal');
    await request(a.socket, 'signal', { to: b.joined.self.peerId, data: { candidate: null } });
    expect((await endOfCandidates).data).toEqual({ candidate: null });

    const restartRequest = nextEvent<SignalEvent>(b.socket, 'signal');
    expect(await request(a.socket, 'signal', { to: b.joined.self.peerId, data: { restartIce: true } })).toEqual({ ok: true });
    expect(await restartRequest).toEqual({ from: a.joined.self.peerId, data: { restartIce: true } });

    // C's own round trip proves its queue is flushed: nothing of A->B reached it.
    await request(c.socket, 'media-state', { audio: true, video: false, screen: false });
    expect(seenByC).toEqual([]);
  });

  it('ignores a spoofed from and stamps the real sender', async () => {
    const room = await createRoom(server.url);
    const a = track(await joinAs(server.url, room.roomId, 'A'));
    const b = track(await joinAs(server.url, room.roomId, 'B'));
    const delivered = nextEvent<SignalEvent>(b.socket, 'signal');
    await request(a.socket, 'signal', { to: b.joined.self.peerId, from: b.joined.self.peerId, data: OFFER });
    expect((await delivered).from).toBe(a.joined.self.peerId);
  });

  it('refuses a signal to a peer of another room with PEER_NOT_FOUND and delivers nothing', async () => {
    const roomOne = await createRoom(server.url);
    const roomTwo = await createRoom(server.url);
    const a = track(await joinAs(server.url, roomOne.roomId, 'A'));
    const outsider = track(await joinAs(server.url, roomTwo.roomId, 'Outsider'));
    const seen = recordEvents<SignalEvent>(outsider.socket, 'signal');

    const ack = await request(a.socket, 'signal', { to: outsider.joined.self.peerId, data: OFFER });
    expect(ack).toEqual({ ok: false, error: { code: 'PEER_NOT_FOUND', message: expect.any(String) } });
    await request(outsider.socket, 'media-state', { audio: false, video: false, screen: false });
    expect(seen).toEqual([]);
  });

  it('answers NOT_IN_ROOM to a signal before joining', async () => {
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const ack = await request(socket, 'signal', { to: 'AAAAAAAAAAAAAAAA', data: OFFER });
    expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it.each([
    ['a number', 42],
    ['nothing', undefined],
    ['an empty name', { roomId: 'abc-defg-hij', name: '   ' }],
    ['a 41-character name', { roomId: 'abc-defg-hij', name: 'x'.repeat(41) }],
    ['a malformed room id', { roomId: '../../etc', name: 'A' }],
    ['a host key of the wrong shape', { roomId: 'abc-defg-hij', name: 'A', hostKey: 'short' }],
  ])('rejects a join with %s as INVALID_PAYLOAD and the connection still works', async (_label, payload) => {
    const room = await createRoom(server.url);
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const rejected = await request<JoinAck>(socket, 'join', payload);
    expect(rejected).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const accepted = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'A' });
    expect(accepted.ok).toBe(true);
  });

  it.each([
    ['no data', { to: 'AAAAAAAAAAAAAAAA' }],
    ['an unknown description type', { to: 'AAAAAAAAAAAAAAAA', data: { description: { type: 'bogus', sdp: '' } } }],
    ['an oversized sdp', { to: 'AAAAAAAAAAAAAAAA', data: { description: { type: 'offer', sdp: 'x'.repeat(50_000) } } }],
    ['both description and candidate', { to: 'AAAAAAAAAAAAAAAA', data: { ...OFFER, ...CANDIDATE } }],
  ])('rejects a signal with %s as INVALID_PAYLOAD', async (_label, payload) => {
    const room = await createRoom(server.url);
    const a = track(await joinAs(server.url, room.roomId, 'A'));
    expect(await request(a.socket, 'signal', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await request(a.socket, 'media-state', { audio: true, video: true, screen: false })).toEqual({ ok: true });
  });

  it('drops a connection that sends more than the message limit, and the server goes on', async () => {
    const socket = await connectClient(server.url);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('chat', { text: 'x'.repeat(200_000) });
    expect(await disconnected).toBeTruthy();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const room = await createRoom(server.url);
    track(await joinAs(server.url, room.roomId, 'Still works'));
  });

  it('refuses the participant past capacity with ROOM_FULL', async () => {
    const room = await createRoom(server.url);
    for (const name of ['A', 'B', 'C']) track(await joinAs(server.url, room.roomId, name));
    const fourth = await connectClient(server.url);
    sockets.push(fourth);
    const ack = await request<JoinAck>(fourth, 'join', { roomId: room.roomId, name: 'D' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
  });

  it('lets only one of two racing joins take the last seat', async () => {
    const room = await createRoom(server.url);
    track(await joinAs(server.url, room.roomId, 'A'));
    track(await joinAs(server.url, room.roomId, 'B'));
    const racers = await Promise.all([connectClient(server.url), connectClient(server.url)]);
    sockets.push(...racers);
    const acks = await Promise.all(
      racers.map((socket, index) => request<JoinAck>(socket, 'join', { roomId: room.roomId, name: `R${index}` })),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(1);
    expect(acks.filter((ack) => !ack.ok && ack.error.code === 'ROOM_FULL')).toHaveLength(1);
  });

  it('refuses ROOM_NOT_FOUND for an unknown room', async () => {
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const ack = await request<JoinAck>(socket, 'join', { roomId: 'zzz-zzzz-zzz', name: 'A' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
  });

  it('refuses a wrong host key with FORBIDDEN', async () => {
    const room = await createRoom(server.url);
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const ack = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'A', hostKey: 'A'.repeat(32) });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('lets the host lock the room: new guests get ROOM_LOCKED, the host can still rejoin', async () => {
    const room = await createRoom(server.url);
    const host = track(await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey }));
    const guest = track(await joinAs(server.url, room.roomId, 'Guest'));
    const update = nextEvent(guest.socket, 'room-updated');
    expect(await request(host.socket, 'host:lock', { locked: true })).toEqual({ ok: true });
    expect(await update).toEqual({ access: 'locked', locked: true });

    const late = await connectClient(server.url);
    sockets.push(late);
    expect(await request<JoinAck>(late, 'join', { roomId: room.roomId, name: 'Late' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_LOCKED' },
    });
    await request(host.socket, 'leave');
    const hostAgain = track(await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey }));
    expect(hostAgain.joined.room.locked).toBe(true);
    expect(await request(hostAgain.socket, 'host:lock', { locked: false })).toEqual({ ok: true });
    track(await joinAs(server.url, room.roomId, 'Late'));
  });

  it.each([
    ['host:lock', { locked: true }],
    ['host:remove', { peerId: 'AAAAAAAAAAAAAAAA' }],
    ['host:end', undefined],
  ])('refuses %s from a guest with FORBIDDEN', async (event, payload) => {
    const room = await createRoom(server.url);
    track(await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey }));
    const guest = track(await joinAs(server.url, room.roomId, 'Guest'));
    const ack = payload === undefined ? await request(guest.socket, event) : await request(guest.socket, event, payload);
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('removes a participant: they are told, the others see them go, and they hear nothing more', async () => {
    const room = await createRoom(server.url);
    const host = track(await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey }));
    const stays = track(await joinAs(server.url, room.roomId, 'Stays'));
    const goes = track(await joinAs(server.url, room.roomId, 'Goes'));
    const removed = nextEvent(goes.socket, 'removed');
    const left = nextEvent<PeerLeft>(stays.socket, 'peer-left');
    expect(await request(host.socket, 'host:remove', { peerId: goes.joined.self.peerId })).toEqual({ ok: true });
    expect(await removed).toEqual({ by: 'host' });
    expect(await left).toEqual({ peerId: goes.joined.self.peerId, reason: 'removed' });

    const chatSeenByRemoved = recordEvents<ChatMessage>(goes.socket, 'chat-message');
    const chatted = nextEvent<ChatMessage>(stays.socket, 'chat-message');
    await request(host.socket, 'chat', { text: 'after removal' });
    await chatted;
    expect(await request(goes.socket, 'signal', { to: host.joined.self.peerId, data: OFFER })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(chatSeenByRemoved).toEqual([]);
  });

  it('ends the meeting for everyone and refuses later joins with ROOM_ENDED', async () => {
    const room = await createRoom(server.url);
    const host = track(await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey }));
    const guest = track(await joinAs(server.url, room.roomId, 'Guest'));
    const ended = [nextEvent(host.socket, 'room-ended'), nextEvent(guest.socket, 'room-ended')];
    expect(await request(host.socket, 'host:end')).toEqual({ ok: true });
    expect(await Promise.all(ended)).toEqual([{ by: 'host' }, { by: 'host' }]);

    const late = await connectClient(server.url);
    sockets.push(late);
    expect(await request<JoinAck>(late, 'join', { roomId: room.roomId, name: 'Late' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_ENDED' },
    });
    const info = await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json();
    expect(info).toMatchObject({ participants: 0, endedAt: expect.any(String) });
    const attendance = await attendanceOf(room.roomId, room.hostKey);
    expect(attendance.entries.map((entry) => entry.leftReason)).toEqual(['ended', 'ended']);
  });

  it('announces leave and disconnect as peer-left and closes attendance', async () => {
    const room = await createRoom(server.url);
    const stays = track(await joinAs(server.url, room.roomId, 'Stays', { hostKey: room.hostKey }));
    const leaves = track(await joinAs(server.url, room.roomId, 'Leaves'));
    const drops = track(await joinAs(server.url, room.roomId, 'Drops'));

    const left = nextEvent<PeerLeft>(stays.socket, 'peer-left');
    expect(await request(leaves.socket, 'leave')).toEqual({ ok: true });
    expect(await left).toEqual({ peerId: leaves.joined.self.peerId, reason: 'left' });

    const dropped = nextEvent<PeerLeft>(stays.socket, 'peer-left');
    dropConnection(drops.socket);
    expect(await dropped).toEqual({ peerId: drops.joined.self.peerId, reason: 'disconnected' });

    const attendance = await attendanceOf(room.roomId, room.hostKey);
    const byName = Object.fromEntries(attendance.entries.map((entry) => [entry.name, entry]));
    expect(byName['Leaves']).toMatchObject({ leftReason: 'left', leftAt: expect.any(String) });
    expect(byName['Drops']).toMatchObject({ leftReason: 'disconnected', leftAt: expect.any(String) });
    expect(byName['Stays']).toMatchObject({ leftAt: null, role: 'host' });
  });

  it('relays media state and chat to the room', async () => {
    const room = await createRoom(server.url);
    const a = track(await joinAs(server.url, room.roomId, 'A'));
    const b = track(await joinAs(server.url, room.roomId, 'B'));
    const media = nextEvent(b.socket, 'peer-media-state');
    await request(a.socket, 'media-state', { audio: true, video: false, screen: true });
    expect(await media).toEqual({ peerId: a.joined.self.peerId, audio: true, video: false, screen: true });

    const chat = nextEvent<ChatMessage>(b.socket, 'chat-message');
    await request(a.socket, 'chat', { text: '<img src=x onerror=alert(1)>' });
    expect(await chat).toMatchObject({ from: a.joined.self.peerId, name: 'A', text: '<img src=x onerror=alert(1)>' });

    const c = track(await joinAs(server.url, room.roomId, 'C'));
    expect(c.joined.peers.find((peer) => peer.peerId === a.joined.self.peerId)?.media).toEqual({
      audio: true,
      video: false,
      screen: true,
    });
  });

  it('answers RATE_LIMITED when a connection floods, and keeps the connection', async () => {
    const room = await createRoom(server.url);
    const a = track(await joinAs(server.url, room.roomId, 'A'));
    const acks = await Promise.all(
      Array.from({ length: 260 }, () => request<OkAck>(a.socket, 'media-state', { audio: true, video: true, screen: false })),
    );
    expect(acks.some((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED')).toBe(true);
    expect(a.socket.connected).toBe(true);
  });

  it('refuses a WebSocket from another site and accepts the public origin', async () => {
    await expect(connectClient(server.url, { origin: 'https://evil.example' })).rejects.toThrow();
    const socket = await connectClient(server.url, { origin: 'http://localhost:3000' });
    sockets.push(socket);
    expect(socket.connected).toBe(true);
  });

  async function attendanceOf(roomId: string, hostKey: string): Promise<AttendanceResponse> {
    const response = await fetch(`${server.url}/api/rooms/${roomId}/attendance`, {
      headers: { authorization: `Bearer ${hostKey}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as AttendanceResponse;
  }
});

describe('TURN credentials in the join ack', () => {
  it('carries coturn REST-API credentials for the joining peer when TURN_SECRET is set', async () => {
    const secret = 'test-only-turn-secret-0123456789';
    const server = await startTestServer({
      STUN_URLS: 'stun:turn.example.org:3478',
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349',
      TURN_SECRET: secret,
      TURN_TTL: '600',
    });
    try {
      const room = await createRoom(server.url);
      const { socket, joined } = await joinAs(server.url, room.roomId, 'A');
      socket.disconnect();
      const [stun, turn] = joined.iceServers;
      expect(stun).toEqual({ urls: ['stun:turn.example.org:3478'] });
      expect(turn.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349']);
      const [expiry, peerId] = String(turn.username).split(':');
      expect(peerId).toBe(joined.self.peerId);
      expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(590);
      expect(Number(expiry) - Date.now() / 1000).toBeLessThanOrEqual(600);
      expect(turn.credential).toBe(createHmac('sha1', secret).update(String(turn.username)).digest('base64'));
    } finally {
      await server.close();
    }
  });
});

describe('resuming after a dropped connection', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RECONNECT_GRACE_MS: '3000', JOIN_PER_MINUTE: '1000' });
  });
  afterAll(() => server.close());

  it('keeps the peer id and tells the others only peer-resumed when the browser comes back in time', async () => {
    const room = await createRoom(server.url);
    const stays = await joinAs(server.url, room.roomId, 'Stays');
    const drops = await joinAs(server.url, room.roomId, 'Drops');
    const departures = recordEvents<PeerLeft>(stays.socket, 'peer-left');
    const arrivals = recordEvents<PeerJoined>(stays.socket, 'peer-joined');
    const resumes = recordEvents<PeerResumed>(stays.socket, 'peer-resumed');
    dropConnection(drops.socket);

    const again = await connectClient(server.url);
    const ack = await request<JoinAck>(again, 'join', {
      roomId: room.roomId,
      name: 'Drops',
      resume: { peerId: drops.joined.self.peerId, token: drops.joined.self.resumeToken },
    });
    expect(ack).toMatchObject({ ok: true, self: { peerId: drops.joined.self.peerId, resumed: true } });
    if (!ack.ok || 'waiting' in ack) return;
    expect(ack.peers.map((peer) => peer.name)).toEqual(['Stays']);

    const delivered = nextEvent<SignalEvent>(again, 'signal');
    await request(stays.socket, 'signal', { to: drops.joined.self.peerId, data: OFFER });
    expect((await delivered).from).toBe(stays.joined.self.peerId);
    expect(departures).toEqual([]);
    expect(arrivals).toEqual([]);
    // Told before the resumed member's ack: signals sent to it while it was away are lost.
    expect(resumes).toEqual([{ peerId: drops.joined.self.peerId }]);
    stays.socket.disconnect();
    again.disconnect();
  });

  it('treats a wrong resume token as a new join', async () => {
    const room = await createRoom(server.url);
    const first = await joinAs(server.url, room.roomId, 'First');
    const socket = await connectClient(server.url);
    const ack = await request<JoinAck>(socket, 'join', {
      roomId: room.roomId,
      name: 'Impostor',
      resume: { peerId: first.joined.self.peerId, token: 'A'.repeat(24) },
    });
    expect(ack).toMatchObject({ ok: true, self: { resumed: false } });
    expect(ack.ok && 'self' in ack && ack.self.peerId).not.toBe(first.joined.self.peerId);
    first.socket.disconnect();
    socket.disconnect();
  });

  it('lets the member go with peer-left once the grace period passes', async () => {
    const quick = await startTestServer({ RECONNECT_GRACE_MS: '300' });
    try {
      const room = await createRoom(quick.url);
      const stays = await joinAs(quick.url, room.roomId, 'Stays');
      const drops = await joinAs(quick.url, room.roomId, 'Drops');
      const left = nextEvent<PeerLeft>(stays.socket, 'peer-left', 3000);
      dropConnection(drops.socket);
      expect(await left).toEqual({ peerId: drops.joined.self.peerId, reason: 'disconnected' });
      stays.socket.disconnect();
    } finally {
      await quick.close();
    }
  });
});

describe('many joins at the same moment on the embedded SQLite database', () => {
  const redisUrl = process.env['REDIS_TEST_URL'];
  const cases: Array<[string, Record<string, string>]> = [['in-memory membership', {}]];
  // With Redis the joins' database writes interleave for real (each admit waits on the network).
  if (redisUrl) cases.push(['Redis membership', { REDIS_URL: redisUrl }]);
  it.each(cases)('records every one of them with %s (SQLite takes one writer at a time)', async (_label, env) => {
    const server = await startServerProcess({ JOIN_PER_MINUTE: '1000', ROOM_CREATE_PER_MINUTE: '1000', ...env });
    const sockets: TestSocket[] = [];
    try {
      const rooms = await Promise.all(Array.from({ length: 6 }, () => createRoom(server.url)));
      sockets.push(...(await Promise.all(Array.from({ length: 24 }, () => connectClient(server.url)))));
      const acks = await Promise.all(
        sockets.map((socket, index) =>
          request<JoinAck>(socket, 'join', { roomId: rooms[index % rooms.length].roomId, name: `P${index}` }),
        ),
      );
      expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.disconnect();
      await server.stop();
    }
  });
});
