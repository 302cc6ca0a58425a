import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admitted, HostPresence, JoinAck, JoinDenied, MutedByHost, OkAck, PeerJoined, RoomInfo, RoomUpdated } from '@mesh-meet/protocol';
import { type TestSocket, connectClient, createRoom, joinAs, nextEvent, recordEvents, request, waitFor } from '@mesh-meet/testing';
import { type TestServer, startTestServer } from '../testing/test-server';
import { askToJoin, joinAgain, requestLists } from '../testing/waiting-room-client';

const QUICK = { JOIN_PER_MINUTE: '1000', ROOM_CREATE_PER_MINUTE: '1000', RECONNECT_GRACE_MS: '200' };
const NO_MEDIA = { audio: false, video: false, screen: false };
const OFFER = { description: { type: 'offer', sdp: 'v=0\r\n' } };

/** One ack on the host's socket: every event the server sent it before is in by then. */
const roundTrip = (socket: TestSocket) => request(socket, 'media-state', NO_MEDIA);

describe('the waiting room and host controls (real app, real socket.io-client)', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  const track = <T extends { socket: TestSocket }>(client: T): T => {
    sockets.push(client.socket);
    return client;
  };
  const askRoom = () => createRoom(server.url, 'Ask', { access: 'ask' });
  const hostOf = async (room: { roomId: string; hostKey: string }) =>
    track(await joinAs(server.url, room.roomId, 'Hana', { hostKey: room.hostKey }));

  beforeAll(async () => {
    // Every guest here comes from 127.0.0.1: room for all the requests of the suite.
    server = await startTestServer({ ...QUICK, MAX_PARTICIPANTS: '4', JOIN_REQUESTS_PER_MINUTE: '100' });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets a guest wait, shows the host the request, and seats the guest once admitted', async () => {
    const room = await askRoom();
    const host = await hostOf(room);
    expect(host.joined.room).toMatchObject({ access: 'ask', locked: false });
    const lists = requestLists(host.socket);

    const guest = track(await askToJoin(server.url, room.roomId, 'Guest'));
    expect(guest.waiting).toMatchObject({
      ok: true,
      waiting: { hostPresent: true },
      room: { roomId: room.roomId, access: 'ask', locked: false },
    });
    expect(Date.parse(guest.waiting.waiting.expiresAt)).toBeGreaterThan(Date.now() + 60_000);
    await lists.until((names) => names.join() === 'Guest', 'the request in the host\'s list');
    expect(lists.latest()?.requests[0]).toEqual({
      requestId: guest.waiting.waiting.requestId,
      name: 'Guest',
      requestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const admitted = nextEvent<Admitted>(guest.socket, 'admitted');
    expect(await request(host.socket, 'host:admit', { requestId: guest.waiting.waiting.requestId })).toEqual({ ok: true });
    expect(await admitted).toEqual({ requestId: guest.waiting.waiting.requestId });
    await lists.until((names) => names.length === 0, 'the emptied list');

    const arrived = nextEvent<PeerJoined>(host.socket, 'peer-joined');
    const seated = await joinAgain(guest.socket, room.roomId, 'Guest', guest.waiting.identity);
    expect(seated.self).toMatchObject({ role: 'guest', identity: guest.waiting.identity });
    expect((await arrived).name).toBe('Guest');
    // The admission was used up: the same identity on a new connection asks again.
    const later = track(await askToJoin(server.url, room.roomId, 'Guest', guest.waiting.identity));
    expect(later.waiting.waiting.requestId).not.toBe(guest.waiting.waiting.requestId);
  });

  it('refuses signal, chat, media-state and host events from a waiting guest, and keeps the connection', async () => {
    const room = await askRoom();
    const host = await hostOf(room);
    const guest = track(await askToJoin(server.url, room.roomId, 'Waiting'));
    const refusals = await Promise.all([
      request(guest.socket, 'signal', { to: host.joined.self.peerId, data: OFFER }),
      request(guest.socket, 'chat', { text: 'let me in' }),
      request(guest.socket, 'media-state', { audio: true, video: true, screen: false }),
      request(guest.socket, 'host:admit', { requestId: guest.waiting.waiting.requestId }),
      request(guest.socket, 'host:mute-all'),
    ]);
    expect(refusals.map((ack) => !ack.ok && ack.error.code)).toEqual(Array(5).fill('NOT_IN_ROOM'));
    expect(guest.socket.connected).toBe(true);

    // Still waiting, and can still leave the lobby: the host's list drops the request.
    const lists = requestLists(host.socket);
    expect(await request(guest.socket, 'leave')).toEqual({ ok: true });
    await lists.until((names) => names.length === 0, 'the withdrawn request gone from the list');
    expect(await request(host.socket, 'host:admit', { requestId: guest.waiting.waiting.requestId })).toMatchObject({
      ok: false,
      error: { code: 'PEER_NOT_FOUND' },
    });
  });

  it('answers every new host event from a guest with FORBIDDEN', async () => {
    const room = await createRoom(server.url, 'Open');
    const host = await hostOf(room);
    const guest = track(await joinAs(server.url, room.roomId, 'Guest'));
    const muted = recordEvents<MutedByHost>(host.socket, 'muted-by-host');
    const attempts: Array<[string, unknown?]> = [
      ['host:access', { access: 'locked' }],
      ['host:admit', { requestId: 'AAAAAAAAAAAA' }],
      ['host:deny', { requestId: 'AAAAAAAAAAAA' }],
      ['host:admit-all'],
      ['host:mute', { peerId: host.joined.self.peerId }],
      ['host:mute-all'],
    ];
    for (const [event, payload] of attempts) {
      const ack = await (payload === undefined ? request(guest.socket, event) : request(guest.socket, event, payload));
      expect([event, ack]).toEqual([event, { ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } }]);
    }
    await roundTrip(host.socket);
    expect(muted).toEqual([]);
    expect(((await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json()) as RoomInfo).access).toBe('open');
  });

  it('makes one request of repeated joins from one connection or one identity', async () => {
    const room = await askRoom();
    const host = await hostOf(room);
    const lists = requestLists(host.socket);
    const first = track(await askToJoin(server.url, room.roomId, 'Twice'));
    const again = await request<JoinAck>(first.socket, 'join', { roomId: room.roomId, name: 'Twice', identity: first.waiting.identity });
    const elsewhere = track(await askToJoin(server.url, room.roomId, 'Twice', first.waiting.identity));
    expect(again).toMatchObject({ waiting: { requestId: first.waiting.waiting.requestId, expiresAt: first.waiting.waiting.expiresAt } });
    expect(elsewhere.waiting.waiting.requestId).toBe(first.waiting.waiting.requestId);
    await roundTrip(host.socket);
    expect(lists.latest()?.requests.map((r) => r.requestId)).toEqual([first.waiting.waiting.requestId]);

    // The newest connection holds it now: the old one leaving does not withdraw it, and the answer goes to the new one.
    first.socket.disconnect();
    const admitted = nextEvent<Admitted>(elsewhere.socket, 'admitted');
    expect(await request(host.socket, 'host:admit', { requestId: first.waiting.waiting.requestId })).toEqual({ ok: true });
    expect(await admitted).toEqual({ requestId: first.waiting.waiting.requestId });
  });

  it('tells a denied guest, then refuses that identity with DENIED without bothering the host', async () => {
    const room = await askRoom();
    const host = await hostOf(room);
    const lists = requestLists(host.socket);
    const guest = track(await askToJoin(server.url, room.roomId, 'Pest'));
    const denied = nextEvent<JoinDenied>(guest.socket, 'join-denied');
    expect(await request(host.socket, 'host:deny', { requestId: guest.waiting.waiting.requestId })).toEqual({ ok: true });
    expect(await denied).toEqual({ requestId: guest.waiting.waiting.requestId, reason: 'denied' });
    await lists.until((names) => names.length === 0, 'the list without the denied guest');
    const seen = lists.all.length;

    for (let attempt = 0; attempt < 5; attempt += 1) {
      const ack = await request<JoinAck>(guest.socket, 'join', { roomId: room.roomId, name: 'Pest', identity: guest.waiting.identity });
      expect(ack).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    }
    await roundTrip(host.socket);
    expect(lists.all.length).toBe(seen);
    // A second answer to the same request finds nothing; another person still asks.
    expect(await request(host.socket, 'host:admit', { requestId: guest.waiting.waiting.requestId })).toMatchObject({
      ok: false,
      error: { code: 'PEER_NOT_FOUND' },
    });
    track(await askToJoin(server.url, room.roomId, 'Someone else'));
    await lists.until((names) => names.join() === 'Someone else', 'the other guest\'s request');
  });

  it('withdraws the request when the waiting connection closes', async () => {
    const room = await askRoom();
    const host = await hostOf(room);
    const lists = requestLists(host.socket);
    const guest = await askToJoin(server.url, room.roomId, 'Leaves');
    await lists.until((names) => names.join() === 'Leaves', 'the request');
    guest.socket.disconnect();
    await lists.until((names) => names.length === 0, 'the request withdrawn on disconnect');
  });

  it('gives a host who joins later the list, and tells waiting guests whether a host is there', async () => {
    const room = await askRoom();
    const early = track(await askToJoin(server.url, room.roomId, 'Early'));
    expect(early.waiting.waiting.hostPresent).toBe(false);
    const presence = recordEvents<HostPresence>(early.socket, 'host-presence');

    const socket = await connectClient(server.url);
    sockets.push(socket);
    const pending = nextEvent<{ requests: Array<{ name: string }> }>(socket, 'join-requests');
    const ack = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'Hana', hostKey: room.hostKey });
    expect(ack).toMatchObject({ ok: true, self: { role: 'host' } });
    expect((await pending).requests.map((r) => r.name)).toEqual(['Early']);
    await waitForEvents(presence, 1, 'host-presence after the host joined');
    expect(presence).toEqual([{ present: true }]);

    expect(await request(socket, 'leave')).toEqual({ ok: true });
    await waitForEvents(presence, 2, 'host-presence after the host left');
    expect(presence[1]).toEqual({ present: false });
  });

  it('never offers a removed identity to the host again: REMOVED, whatever the access mode', async () => {
    const room = await createRoom(server.url, 'Strict');
    const host = await hostOf(room);
    const guest = await joinAs(server.url, room.roomId, 'Removed');
    const removed = nextEvent(guest.socket, 'removed');
    await request(host.socket, 'host:remove', { peerId: guest.joined.self.peerId });
    await removed;
    guest.socket.disconnect();

    expect(await request(host.socket, 'host:access', { access: 'ask' })).toEqual({ ok: true });
    const lists = requestLists(host.socket);
    const back = await connectClient(server.url);
    sockets.push(back);
    const ack = await request<JoinAck>(back, 'join', { roomId: room.roomId, name: 'Removed', identity: guest.joined.self.identity });
    expect(ack).toMatchObject({ ok: false, error: { code: 'REMOVED' } });
    await roundTrip(host.socket);
    expect(lists.all).toEqual([]);
  });

  it('changes access in the call: everyone hears it, open lets the waiting in, locked turns them away, the host can rejoin', async () => {
    const room = await askRoom();
    const host = await hostOf(room);
    const member = track(await joinAs(server.url, room.roomId, 'Co-host', { hostKey: room.hostKey }));
    const one = track(await askToJoin(server.url, room.roomId, 'One'));
    const two = track(await askToJoin(server.url, room.roomId, 'Two'));

    const update = nextEvent<RoomUpdated>(member.socket, 'room-updated');
    const letIn = [nextEvent<Admitted>(one.socket, 'admitted'), nextEvent<Admitted>(two.socket, 'admitted')];
    expect(await request(host.socket, 'host:access', { access: 'open' })).toEqual({ ok: true });
    expect(await update).toEqual({ access: 'open', locked: false });
    expect((await Promise.all(letIn)).map((event) => event.requestId)).toEqual([one.waiting.waiting.requestId, two.waiting.waiting.requestId]);

    expect(await request(host.socket, 'host:access', { access: 'ask' })).toEqual({ ok: true });
    const three = track(await askToJoin(server.url, room.roomId, 'Three'));
    const turnedAway = nextEvent<JoinDenied>(three.socket, 'join-denied');
    const locked = nextEvent<RoomUpdated>(member.socket, 'room-updated');
    expect(await request(host.socket, 'host:lock', { locked: true })).toEqual({ ok: true });
    expect(await locked).toEqual({ access: 'locked', locked: true });
    expect(await turnedAway).toEqual({ requestId: three.waiting.waiting.requestId, reason: 'locked' });

    const refused = await request<JoinAck>(three.socket, 'join', { roomId: room.roomId, name: 'Three', identity: three.waiting.identity });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    host.socket.disconnect();
    const rejoined = track(await joinAs(server.url, room.roomId, 'Hana', { hostKey: room.hostKey }));
    expect(rejoined.joined.room).toMatchObject({ access: 'locked', locked: true });
    expect(await request(rejoined.socket, 'host:lock', { locked: false })).toEqual({ ok: true });
    expect(((await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json()) as RoomInfo).access).toBe('open');
  });

  it('admits everyone waiting with host:admit-all, and turns the waiting away when the meeting ends', async () => {
    const room = await askRoom();
    const host = await hostOf(room);
    const a = track(await askToJoin(server.url, room.roomId, 'A'));
    const b = track(await askToJoin(server.url, room.roomId, 'B'));
    const both = [nextEvent<Admitted>(a.socket, 'admitted'), nextEvent<Admitted>(b.socket, 'admitted')];
    expect(await request(host.socket, 'host:admit-all')).toEqual({ ok: true });
    await Promise.all(both);
    await joinAgain(a.socket, room.roomId, 'A', a.waiting.identity);

    const c = track(await askToJoin(server.url, room.roomId, 'C'));
    const ended = nextEvent<JoinDenied>(c.socket, 'join-denied');
    expect(await request(host.socket, 'host:end')).toEqual({ ok: true });
    expect(await ended).toEqual({ requestId: c.waiting.waiting.requestId, reason: 'ended' });
  });

  it('relays host:mute to that peer only, with the host\'s name, and host:mute-all to all but the host', async () => {
    const room = await createRoom(server.url, 'Loud');
    const host = await hostOf(room);
    const loud = track(await joinAs(server.url, room.roomId, 'Loud'));
    const quiet = track(await joinAs(server.url, room.roomId, 'Quiet'));
    const elsewhere = await createRoom(server.url, 'Elsewhere');
    const stranger = track(await joinAs(server.url, elsewhere.roomId, 'Stranger'));
    const heard = {
      host: recordEvents<MutedByHost>(host.socket, 'muted-by-host'),
      loud: recordEvents<MutedByHost>(loud.socket, 'muted-by-host'),
      quiet: recordEvents<MutedByHost>(quiet.socket, 'muted-by-host'),
      stranger: recordEvents<MutedByHost>(stranger.socket, 'muted-by-host'),
    };

    expect(await request(host.socket, 'host:mute', { peerId: loud.joined.self.peerId })).toEqual({ ok: true });
    const refusals = await Promise.all([
      request<OkAck>(host.socket, 'host:mute', { peerId: stranger.joined.self.peerId }),
      request<OkAck>(host.socket, 'host:mute', { peerId: host.joined.self.peerId }),
      request<OkAck>(host.socket, 'host:mute', { peerId: 'not a peer id' }),
      request<OkAck>(host.socket, 'host:unmute', { peerId: loud.joined.self.peerId }).catch(() => 'no answer'),
    ]);
    expect(refusals.map((ack) => (typeof ack === 'string' ? ack : !ack.ok && ack.error.code))).toEqual([
      'PEER_NOT_FOUND',
      'FORBIDDEN',
      'INVALID_PAYLOAD',
      'no answer',
    ]);
    await Promise.all([roundTrip(loud.socket), roundTrip(quiet.socket), roundTrip(stranger.socket)]);
    expect(heard).toEqual({ host: [], loud: [{ by: 'Hana' }], quiet: [], stranger: [] });

    expect(await request(host.socket, 'host:mute-all')).toEqual({ ok: true });
    await Promise.all([roundTrip(host.socket), roundTrip(loud.socket), roundTrip(quiet.socket), roundTrip(stranger.socket)]);
    expect(heard).toEqual({ host: [], loud: [{ by: 'Hana' }, { by: 'Hana' }], quiet: [{ by: 'Hana' }], stranger: [] });
  });
});

describe('the waiting room with short limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...QUICK, JOIN_REQUEST_TTL_MS: '1500', JOIN_REQUESTS_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets an unanswered request expire: the guest is told, the host\'s list drops it', async () => {
    const room = await createRoom(server.url, 'Slow', { access: 'ask' });
    const host = await joinAs(server.url, room.roomId, 'Hana', { hostKey: room.hostKey });
    const lists = requestLists(host.socket);
    const guest = await askToJoin(server.url, room.roomId, 'Patient');
    const expired = await nextEvent<JoinDenied>(guest.socket, 'join-denied', 10_000);
    expect(expired).toEqual({ requestId: guest.waiting.waiting.requestId, reason: 'expired' });
    await lists.until((names) => names.length === 0, 'the expired request gone');
    expect(await request(host.socket, 'host:admit', { requestId: guest.waiting.waiting.requestId })).toMatchObject({
      ok: false,
      error: { code: 'PEER_NOT_FOUND' },
    });
    host.socket.disconnect();
    guest.socket.disconnect();
  });

  it('limits new requests per identity: past JOIN_REQUESTS_PER_MINUTE it is RATE_LIMITED', async () => {
    const room = await createRoom(server.url, 'Busy', { access: 'ask' });
    const first = await askToJoin(server.url, room.roomId, 'Again');
    const identity = first.waiting.identity;
    await request(first.socket, 'leave');
    // Asking again while still waiting is not a new request; asking after leaving is.
    const second = await request<JoinAck>(first.socket, 'join', { roomId: room.roomId, name: 'Again', identity });
    expect(second).toMatchObject({ ok: true, waiting: {} });
    expect(await request<JoinAck>(first.socket, 'join', { roomId: room.roomId, name: 'Again', identity })).toMatchObject({ ok: true });
    await request(first.socket, 'leave');
    const third = await request<JoinAck>(first.socket, 'join', { roomId: room.roomId, name: 'Again', identity });
    expect(third).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    first.socket.disconnect();
  });
});

describe('the waiting room\'s limit per address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...QUICK, JOIN_REQUESTS_PER_MINUTE: '1' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses new requests from one address past four times the per-identity limit, whoever asks', async () => {
    const room = await createRoom(server.url, 'Crowded', { access: 'ask' });
    // An address of this run's own, so no other suite's requests count against it.
    const localAddress = `127.${1 + (process.pid % 250)}.${Math.floor(Math.random() * 250) + 1}.9`;
    const socket = await connectClient(server.url, { localAddress });
    const answers: JoinAck[] = [];
    for (let person = 0; person < 5; person += 1) {
      // A fresh identity each time, and a leave in between: each is a new request.
      answers.push(await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: `Person ${person}` }));
      await request(socket, 'leave');
    }
    expect(answers.map((ack) => (ack.ok ? 'waiting' in ack && 'waiting' : ack.error.code))).toEqual([
      'waiting',
      'waiting',
      'waiting',
      'waiting',
      'RATE_LIMITED',
    ]);
    socket.disconnect();
  });
});

describe('access mode across a restart (SQLite)', () => {
  it('keeps a room\'s access mode in the database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-meet-access-'));
    try {
      let server = await startTestServer({ ...QUICK, DATA_DIR: dataDir });
      const asking = await createRoom(server.url, 'Asking', { access: 'ask' });
      const locking = await createRoom(server.url, 'Locking');
      const host = await joinAs(server.url, locking.roomId, 'Hana', { hostKey: locking.hostKey });
      expect(await request(host.socket, 'host:access', { access: 'locked' })).toEqual({ ok: true });
      host.socket.disconnect();
      await server.close();

      server = await startTestServer({ ...QUICK, DATA_DIR: dataDir });
      try {
        const guest = await connectClient(server.url);
        expect(await request<JoinAck>(guest, 'join', { roomId: locking.roomId, name: 'Late' })).toMatchObject({
          ok: false,
          error: { code: 'ROOM_LOCKED' },
        });
        expect(await request<JoinAck>(guest, 'join', { roomId: asking.roomId, name: 'Late' })).toMatchObject({
          ok: true,
          waiting: { hostPresent: false },
          room: { access: 'ask' },
        });
        guest.disconnect();
        const back = await joinAs(server.url, locking.roomId, 'Hana', { hostKey: locking.hostKey });
        expect(back.joined.room).toMatchObject({ access: 'locked', locked: true });
        back.socket.disconnect();
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function waitForEvents(events: unknown[], count: number, what: string): Promise<void> {
  await waitFor(() => events.length >= count, { what, timeoutMs: 10_000 });
}
