import { rmSync } from 'node:fs';
import { type IncomingHttpHeaders, get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { MeetingReport, OkAck, QualitySample } from '@mesh-meet/protocol';
import { LIMITS } from '@mesh-meet/protocol';
import { type TestSocket, connectClient, createRoom, joinAs, recordEvents, request, waitFor } from '@mesh-meet/testing';
import { createDataSource } from '../database/data-source';
import { QualitySampleEntity } from '../database/entities';
import { type TestServer, startTestServer } from '../testing/test-server';

const QUICK = { JOIN_PER_MINUTE: '1000', ROOM_CREATE_PER_MINUTE: '1000', QUALITY_FLUSH_MS: '100' };

/** A well-formed sample about `peerId`; `overrides` may break it. */
function sample(peerId: string, overrides: Record<string, unknown> = {}): QualitySample {
  return {
    peerId,
    windowSec: 10,
    rttMs: 40,
    lossIn: 0,
    lossOut: 0,
    jitterMs: 5,
    bitrateIn: 800_000,
    bitrateOut: 900_000,
    fpsIn: 30,
    frameHeightIn: 540,
    freezeCount: 0,
    totalFreezesDuration: 0,
    localCandidateType: 'host',
    remoteCandidateType: 'host',
    relayProtocol: null,
    qualityLimitationReason: 'none',
    iceRestarts: 0,
    ...overrides,
  } as QualitySample;
}

async function reportOf(server: TestServer, roomId: string, hostKey: string | undefined): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/api/rooms/${roomId}/report`, {
    headers: hostKey === undefined ? {} : { authorization: `Bearer ${hostKey}` },
  });
  return { status: response.status, body: await response.json() };
}

/** GET with node's own client, which (unlike fetch) leaves a gzipped body as it came. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const call = httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    });
    call.on('error', reject);
  });
}

async function report(server: TestServer, roomId: string, hostKey: string): Promise<MeetingReport> {
  const { status, body } = await reportOf(server, roomId, hostKey);
  expect(status).toBe(200);
  return body as MeetingReport;
}

describe('call quality samples and the meeting report', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    server = await startTestServer(QUICK);
  });
  afterAll(() => server?.close());
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  /** A room with a host and guests, all joined; their sockets close after the test. */
  async function meeting(...guests: string[]) {
    const room = await createRoom(server.url, 'Quality');
    const host = await joinAs(server.url, room.roomId, 'Hana', { hostKey: room.hostKey });
    const others = [];
    for (const name of guests) others.push(await joinAs(server.url, room.roomId, name));
    const people = [host, ...others];
    sockets.push(...people.map((person) => person.socket));
    return { room, people, peerIds: people.map((person) => person.joined.self.peerId) };
  }

  it('stores every link of a three-person call and gives the host each ordered pair, oldest first, with a summary per person', async () => {
    const { room, people, peerIds } = await meeting('Kumi', 'Ola');
    const messages = recordEvents(people[1].socket, 'quality');
    for (const round of [1, 2]) {
      for (const [index, person] of people.entries()) {
        const samples = peerIds.filter((_, other) => other !== index).map((peerId) => sample(peerId, { rttMs: round * 100 + index }));
        expect(await request(person.socket, 'quality', { samples })).toEqual({ ok: true });
      }
    }
    const read = await waitFor(
      async () => {
        const current = await report(server, room.roomId, room.hostKey);
        return current.links.length === 6 && current.links.every((link) => link.samples.length === 2) ? current : null;
      },
      { what: 'two samples on each of the six ordered pairs', timeoutMs: 10_000 },
    );
    expect(read.room).toMatchObject({ roomId: room.roomId, name: 'Quality', endedAt: null });
    expect(read.attendance.map((row) => [row.name, row.role, row.peerId, row.leftAt])).toEqual([
      ['Hana', 'host', peerIds[0], null],
      ['Kumi', 'guest', peerIds[1], null],
      ['Ola', 'guest', peerIds[2], null],
    ]);
    const names = ['Hana', 'Kumi', 'Ola'];
    const pairs = read.links.map((link) => `${link.from}->${link.to}`).sort();
    expect(pairs).toEqual(['Hana->Kumi', 'Hana->Ola', 'Kumi->Hana', 'Kumi->Ola', 'Ola->Hana', 'Ola->Kumi']);
    for (const link of read.links) {
      const from = names.indexOf(link.from);
      expect(link.fromPeerId).toBe(peerIds[from]);
      expect(link.toPeerId).toBe(peerIds[names.indexOf(link.to)]);
      expect(link.fromParticipationId).toBe(read.attendance[from].participationId);
      // Oldest first: round 1 then round 2, stamped by the server.
      expect(link.samples.map((each) => each.rttMs)).toEqual([100 + from, 200 + from]);
      expect(Date.parse(link.samples[0].at)).toBeLessThan(Date.parse(link.samples[1].at));
      expect(link.samples[0]).not.toHaveProperty('peerId');
    }
    expect(read.summaries.map((summary) => summary.text)).toEqual(['Hana: no trouble seen.', 'Kumi: no trouble seen.', 'Ola: no trouble seen.']);
    expect(read).toMatchObject({ truncated: false, retentionDays: 30 });
    // Samples reach nobody: they are for the report.
    expect(messages).toEqual([]);

    // Gzipped for a client that takes it, the same JSON; never kept by a cache.
    const url = `${server.url}/api/rooms/${room.roomId}/report`;
    const zipped = await rawGet(url, { authorization: `Bearer ${room.hostKey}`, 'accept-encoding': 'gzip' });
    expect(zipped.headers).toMatchObject({ 'content-encoding': 'gzip', 'cache-control': 'no-store', 'content-type': expect.stringContaining('application/json') });
    const plain = await rawGet(url, { authorization: `Bearer ${room.hostKey}` });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect(zipped.body.length * 3).toBeLessThan(plain.body.length);
  });

  it.each([
    ['loss in percent', (peerId: string) => ({ samples: [sample(peerId, { lossIn: 12 })] })],
    ['a negative round-trip time', (peerId: string) => ({ samples: [sample(peerId, { rttMs: -5 })] })],
    ['an unknown field (an address)', (peerId: string) => ({ samples: [sample(peerId, { address: '192.0.2.7' })] })],
    ['a long string where a number goes', (peerId: string) => ({ samples: [sample(peerId, { rttMs: 'x'.repeat(20_000) })] })],
    ['no samples', () => ({ samples: [] })],
    ['one sample more than the room could need', (peerId: string) => ({ samples: Array.from({ length: LIMITS.qualitySamplesPerMessage + 1 }, () => sample(peerId)) })],
    ['two samples of one link', (peerId: string) => ({ samples: [sample(peerId), sample(peerId)] })],
    ['a bare sample', (peerId: string) => sample(peerId)],
    ['no payload', () => undefined],
  ])('refuses %s as INVALID_PAYLOAD, and the connection goes on', async (_case, payload) => {
    const { people, peerIds } = await meeting('Kumi');
    const ack = await request(people[0].socket, 'quality', payload(peerIds[1]));
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await request(people[0].socket, 'quality', { samples: [sample(peerIds[1])] })).toEqual({ ok: true });
  });

  it('refuses a flood of one link with RATE_LIMITED, takes nothing of a refused message, and keeps the other links', async () => {
    const { people, peerIds } = await meeting('Kumi', 'Ola');
    const host = people[0].socket;
    const answers: OkAck[] = [];
    for (let sent = 0; sent < 5; sent += 1) answers.push(await request(host, 'quality', { samples: [sample(peerIds[1])] }));
    expect(answers.map((answer) => (answer.ok ? 'ok' : answer.error.code))).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    // A message with the flooded link and a fresh one is refused whole: the fresh link keeps its burst.
    expect(await request(host, 'quality', { samples: [sample(peerIds[2]), sample(peerIds[1])] })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    for (let sent = 0; sent < 3; sent += 1) expect(await request(host, 'quality', { samples: [sample(peerIds[2])] })).toEqual({ ok: true });
  });

  it('refuses a sample about a peer of another room, an unknown peer or oneself with PEER_NOT_FOUND, and stores none of it', async () => {
    const first = await meeting('Kumi');
    const second = await meeting('Ola');
    const host = first.people[0].socket;
    const refusals = [
      [second.peerIds[1]],
      ['NoSuchPeer123456'],
      [first.peerIds[0]],
      [first.peerIds[1], second.peerIds[0]],
    ];
    for (const peers of refusals) {
      const ack = await request(host, 'quality', { samples: peers.map((peerId) => sample(peerId)) });
      expect(ack).toMatchObject({ ok: false, error: { code: 'PEER_NOT_FOUND' } });
    }
    const outsider = await connectClient(server.url);
    sockets.push(outsider);
    expect(await request(outsider, 'quality', { samples: [sample(first.peerIds[1])] })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });

    // A good one afterwards, so the flush has happened when it shows: nothing else was stored in either room.
    expect(await request(first.people[1].socket, 'quality', { samples: [sample(first.peerIds[0])] })).toEqual({ ok: true });
    const read = await waitFor(
      async () => {
        const current = await report(server, first.room.roomId, first.room.hostKey);
        return current.links.length > 0 ? current : null;
      },
      { what: 'the good sample in the report', timeoutMs: 10_000 },
    );
    expect(read.links.map((link) => `${link.from}->${link.to}:${link.samples.length}`)).toEqual(['Kumi->Hana:1']);
    expect((await report(server, second.room.roomId, second.room.hostKey)).links).toEqual([]);
  });

  it('opens the report to the host key only, during the meeting and after it', async () => {
    const { room, people } = await meeting('Kumi');
    const other = await createRoom(server.url);
    expect(await reportOf(server, room.roomId, undefined)).toMatchObject({ status: 401, body: { code: 'FORBIDDEN' } });
    // A guest has no host key; whatever they send is not it, nor is another meeting's key.
    expect(await reportOf(server, room.roomId, 'guessed-key-guessed-key-1')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await reportOf(server, room.roomId, other.hostKey)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await reportOf(server, 'zzz-zzzz-zzz', room.hostKey)).toMatchObject({ status: 404, body: { code: 'ROOM_NOT_FOUND' } });
    expect((await report(server, room.roomId, room.hostKey)).attendance).toHaveLength(2);

    expect(await request(people[0].socket, 'host:end')).toEqual({ ok: true });
    const after = await report(server, room.roomId, room.hostKey);
    expect(after.room.endedAt).toEqual(expect.any(String));
    expect(after.attendance.map((row) => row.leftReason)).toEqual(['ended', 'ended']);
    expect(await reportOf(server, room.roomId, 'guessed-key-guessed-key-1')).toMatchObject({ status: 403 });
  });
});

describe('call quality on a graceful shutdown', () => {
  it('writes the samples still buffered before the server stops', async () => {
    // A flush period far longer than the test: only the shutdown can write them.
    const server = await startTestServer({ ...QUICK, QUALITY_FLUSH_MS: '60000' });
    const databasePath = join(server.dataDir, 'meetings.sqlite');
    try {
      const room = await createRoom(server.url);
      const host = await joinAs(server.url, room.roomId, 'Hana', { hostKey: room.hostKey });
      const guest = await joinAs(server.url, room.roomId, 'Kumi');
      expect(await request(host.socket, 'quality', { samples: [sample(guest.joined.self.peerId)] })).toEqual({ ok: true });
      expect(await request(guest.socket, 'quality', { samples: [sample(host.joined.self.peerId)] })).toEqual({ ok: true });
      host.socket.disconnect();
      guest.socket.disconnect();
      await server.app.close();
      const dataSource = createDataSource({ kind: 'sqlite', path: databasePath, timeoutMs: 5000 });
      await dataSource.initialize();
      try {
        expect(await dataSource.getRepository(QualitySampleEntity).countBy({ roomId: room.roomId })).toBe(2);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });
});
