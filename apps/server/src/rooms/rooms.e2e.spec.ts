import type { CreateRoomResponse, RestError, RoomInfo } from '@mesh-meet/protocol';
import { type TestServer, startTestServer } from '../testing/test-server';
import { createRoom } from '@mesh-meet/testing';

describe('rooms REST API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ROOM_CREATE_PER_MINUTE: '1000', JOIN_PER_MINUTE: '1000' });
  });
  afterAll(() => server.close());

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('creates a room with an easy-to-type id, a host link and a guest link', async () => {
    const response = await post(JSON.stringify({ name: '  Weekly sync ' }));
    expect(response.status).toBe(201);
    const room = (await response.json()) as CreateRoomResponse;
    expect(room.roomId).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(room.name).toBe('Weekly sync');
    expect(Buffer.from(room.hostKey, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(room.guestUrl).toBe(`http://localhost:3000/r/${room.roomId}`);
    expect(room.hostUrl).toBe(`http://localhost:3000/r/${room.roomId}?host=${room.hostKey}`);
  });

  it('names a room "Meeting" when no name is given', async () => {
    expect((await createRoom(server.url)).name).toBe('Meeting');
    const response = await post('{}');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: 'Meeting' });
  });

  it('never hands out sequential or repeated ids', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i += 1) ids.add((await createRoom(server.url)).roomId);
    expect(ids.size).toBe(20);
  });

  it('answers 400 with the fields at fault for a bad body', async () => {
    const response = await post(JSON.stringify({ name: 'x'.repeat(81), extra: true }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as RestError;
    expect(body.code).toBe('INVALID_PAYLOAD');
    expect(body.fields?.map((field) => field.path)).toEqual(expect.arrayContaining(['name']));
  });

  it('answers 400 INVALID_PAYLOAD for malformed JSON', async () => {
    const response = await post('{"name": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('refuses a body over the size limit', async () => {
    const response = await post(JSON.stringify({ name: 'x'.repeat(20_000) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('describes a room, accepting the id as a person types it', async () => {
    const room = await createRoom(server.url, 'Lookup');
    const typed = room.roomId.replace(/-/g, '').toUpperCase();
    const response = await fetch(`${server.url}/api/rooms/${typed}`);
    expect(response.status).toBe(200);
    expect((await response.json()) as RoomInfo).toEqual({
      roomId: room.roomId,
      name: 'Lookup',
      participants: 0,
      maxParticipants: 6,
      access: 'open',
      locked: false,
      endedAt: null,
    });
  });

  it('creates a room with the access mode asked for, and refuses an unknown one', async () => {
    const asking = await createRoom(server.url, 'Asking', { access: 'ask' });
    const info = (await (await fetch(`${server.url}/api/rooms/${asking.roomId}`)).json()) as RoomInfo;
    expect(info).toMatchObject({ access: 'ask', locked: false });
    const locked = await createRoom(server.url, 'Shut', { access: 'locked' });
    expect(await (await fetch(`${server.url}/api/rooms/${locked.roomId}`)).json()).toMatchObject({ access: 'locked', locked: true });
    const refused = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ access: 'private' }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'INVALID_PAYLOAD', fields: [{ path: 'access' }] });
  });

  it('answers 404 ROOM_NOT_FOUND for unknown and malformed ids', async () => {
    for (const id of ['zzz-zzzz-zzz', 'not-a-room-id-at-all']) {
      const response = await fetch(`${server.url}/api/rooms/${id}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'ROOM_NOT_FOUND' });
    }
  });

  it('shows attendance to the host key only', async () => {
    const room = await createRoom(server.url);
    const url = `${server.url}/api/rooms/${room.roomId}/attendance`;
    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(url, { headers: { authorization: `Bearer ${'A'.repeat(32)}` } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: 'FORBIDDEN' });
    const right = await fetch(url, { headers: { authorization: `Bearer ${room.hostKey}` } });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ roomId: room.roomId, entries: [] });
  });

  it('answers attendance for an unknown room exactly as for a wrong key', async () => {
    const room = await createRoom(server.url);
    const wrongKey = { authorization: `Bearer ${'A'.repeat(32)}` };
    const answers = [];
    for (const id of [room.roomId, 'zzz-zzzz-zzz', 'not-a-room-id-at-all']) {
      const response = await fetch(`${server.url}/api/rooms/${id}/attendance`, { headers: wrongKey });
      answers.push({ status: response.status, body: await response.json() });
    }
    expect(answers[0]).toEqual({ status: 403, body: { code: 'FORBIDDEN', message: expect.any(String) } });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('reports health, and keeps /metrics private without METRICS_TOKEN', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up' });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(404);
    expect(await metrics.json()).toMatchObject({ code: expect.any(String) });
  });
});

describe('room lookups per client address', () => {
  it('rate-limits every route that tells whether a room exists', async () => {
    const server = await startTestServer({ JOIN_PER_MINUTE: '2' });
    try {
      const room = await createRoom(server.url);
      const auth = { authorization: `Bearer ${room.hostKey}` };
      for (const path of [`/api/rooms/${room.roomId}`, `/api/rooms/${room.roomId}/attendance`]) {
        const statuses = [];
        for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${server.url}${path}`, { headers: auth })).status);
        expect(statuses.at(-1)).toBe(429);
      }
      const limited = await fetch(`${server.url}/api/rooms/zzz-zzzz-zzz/attendance`, { headers: auth });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await server.close();
    }
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  it('answers 401 without the token and the metrics with it', async () => {
    const token = 'metrics-token-0123456789';
    const server = await startTestServer({ METRICS_TOKEN: token });
    try {
      const refused = await fetch(`${server.url}/metrics`);
      expect(refused.status).toBe(401);
      const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope-nope-nope-nope-nope' } });
      expect(wrong.status).toBe(401);
      const allowed = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      const metrics = await allowed.text();
      for (const name of ['meet_joins_total', 'meet_connected_sockets', 'meet_rooms_created_total']) expect(metrics).toContain(name);
    } finally {
      await server.close();
    }
  });
});

describe('per-address limits on the REST API', () => {
  it('answers 429 with Retry-After once an address creates too many rooms', async () => {
    const server = await startTestServer({ ROOM_CREATE_PER_MINUTE: '2' });
    try {
      await createRoom(server.url);
      await createRoom(server.url);
      const response = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await server.close();
    }
  });
});
