import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admitted, JoinAck, JoinDenied, JoinRequests, MutedByHost, PeerJoined } from '@mesh-meet/protocol';
import {
  connectClient,
  createRoom,
  describeWith,
  externalService,
  joinAs,
  nextEvent,
  request,
  type ServerProcess,
  startServerProcess,
} from '@mesh-meet/testing';
import { askToJoin, joinAgain, requestLists } from '../testing/waiting-room-client';

const redisUrl = externalService('REDIS_TEST_URL', 'two-process waiting room');

describeWith(redisUrl)('the waiting room across two server processes on one Redis', () => {
  let dataDir: string;
  let first: ServerProcess;
  let second: ServerProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mesh-meet-waiting-'));
    const shared = {
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl as string,
      // The per-address and per-identity limits live in Redis, shared with other runs within the minute.
      JOIN_PER_MINUTE: '1000',
      ROOM_CREATE_PER_MINUTE: '1000',
      JOIN_REQUESTS_PER_MINUTE: '1000',
      RECONNECT_GRACE_MS: '500',
    };
    first = await startServerProcess({ ...shared, NODE_ID: `wait-first-${process.pid}` });
    second = await startServerProcess({ ...shared, NODE_ID: `wait-second-${process.pid}` });
    // Two processes starting on a shared, loaded machine: more than the default 20 s.
  }, 60_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a host on one process admit a guest waiting on the other, who then joins there', async () => {
    const room = await createRoom(first.url, 'Across', { access: 'ask' });
    const host = await joinAs(first.url, room.roomId, 'Hana', { hostKey: room.hostKey });
    const lists = requestLists(host.socket);
    const guest = await askToJoin(second.url, room.roomId, 'Far guest');
    expect(guest.waiting.waiting.hostPresent).toBe(true);
    await lists.until((names) => names.join() === 'Far guest', 'the request from the other process');

    const admitted = nextEvent<Admitted>(guest.socket, 'admitted');
    expect(await request(host.socket, 'host:admit', { requestId: guest.waiting.waiting.requestId })).toEqual({ ok: true });
    expect(await admitted).toEqual({ requestId: guest.waiting.waiting.requestId });
    const arrived = nextEvent<PeerJoined>(host.socket, 'peer-joined');
    const seated = await joinAgain(guest.socket, room.roomId, 'Far guest', guest.waiting.identity);
    expect(seated.peers.map((peer) => peer.name)).toEqual(['Hana']);
    expect((await arrived).peerId).toBe(seated.self.peerId);

    // Muting crosses processes too.
    const muted = nextEvent<MutedByHost>(guest.socket, 'muted-by-host');
    expect(await request(host.socket, 'host:mute', { peerId: seated.self.peerId })).toEqual({ ok: true });
    expect(await muted).toEqual({ by: 'Hana' });
    host.socket.disconnect();
    guest.socket.disconnect();
  });

  it('keeps a denial on every process, and hands a host joining on the other process the waiting list', async () => {
    const room = await createRoom(second.url, 'Denials', { access: 'ask' });
    const waiting = await askToJoin(first.url, room.roomId, 'Waits on first');
    expect(waiting.waiting.waiting.hostPresent).toBe(false);
    const present = nextEvent(waiting.socket, 'host-presence');

    const socket = await connectClient(second.url);
    const list = nextEvent<JoinRequests>(socket, 'join-requests');
    expect(await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'Hana', hostKey: room.hostKey })).toMatchObject({ ok: true });
    expect((await list).requests.map((r) => r.name)).toEqual(['Waits on first']);
    expect(await present).toEqual({ present: true });

    const denied = nextEvent<JoinDenied>(waiting.socket, 'join-denied');
    expect(await request(socket, 'host:deny', { requestId: waiting.waiting.waiting.requestId })).toEqual({ ok: true });
    expect(await denied).toEqual({ requestId: waiting.waiting.waiting.requestId, reason: 'denied' });
    const elsewhere = await connectClient(second.url);
    expect(
      await request<JoinAck>(elsewhere, 'join', { roomId: room.roomId, name: 'Again', identity: waiting.waiting.identity }),
    ).toMatchObject({ ok: false, error: { code: 'DENIED' } });

    // The access mode set through one process holds on the other.
    expect(await request(socket, 'host:access', { access: 'locked' })).toEqual({ ok: true });
    expect(await request<JoinAck>(waiting.socket, 'join', { roomId: room.roomId, name: 'Other' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_LOCKED' },
    });
    for (const each of [socket, elsewhere, waiting.socket]) each.disconnect();
  });
});
