import type { ChatMessage, JoinAck, PeerInfo, SignalData } from '@mesh-meet/protocol';
import {
  type ClientOptions,
  connectClient,
  createRoom,
  describeIf,
  freePort,
  haveBinaries,
  httpCall,
  joinAs,
  nextEvent,
  NGINX,
  OPENSSL,
  request,
  type ServerProcess,
  startServerProcess,
  stopAllChildren,
  type TestSocket,
} from '@mesh-meet/testing';
import { type Nginx, startNginx } from './nginx';

const available = haveBinaries('the https-portal proxy suite', [NGINX, OPENSSL]);

/** The app behind nginx as https-portal configures it; PUBLIC_URL is the proxy's HTTPS origin. */
async function startBehindProxy(env: Record<string, string>): Promise<{ nginx: Nginx; server: ServerProcess }> {
  const appPort = await freePort();
  const nginx = await startNginx(appPort);
  const server = await startServerProcess({ PORT: String(appPort), PUBLIC_URL: nginx.origin, ...env });
  return { nginx, server };
}

/** POST /api/rooms through the proxy from a given loopback address; the HTTP status. */
async function createFrom(nginx: Nginx, localAddress: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await httpCall(`${nginx.origin}/api/rooms`, {
    method: 'POST',
    body: { name: 'Rate check' },
    ca: nginx.certificate.pem,
    localAddress,
    headers,
  });
  return response.status;
}

/** A join through the proxy from a given loopback address; the ack's error code, or 'ok'. */
async function joinFrom(nginx: Nginx, roomId: string, localAddress: string, sockets: TestSocket[]): Promise<string> {
  const socket = await connectClient(nginx.origin, { origin: nginx.origin, ca: nginx.certificate.pem, localAddress });
  sockets.push(socket);
  const ack = await request<JoinAck>(socket, 'join', { roomId, name: `From ${localAddress}` });
  return ack.ok ? 'ok' : ack.error.code;
}

describeIf(available)('the app behind nginx configured as https-portal configures it, TRUST_PROXY=1', () => {
  let nginx: Nginx;
  const sockets: TestSocket[] = [];
  let tls: ClientOptions;

  beforeAll(async () => {
    ({ nginx } = await startBehindProxy({ TRUST_PROXY: '1', ROOM_CREATE_PER_MINUTE: '2', JOIN_PER_MINUTE: '4' }));
    tls = { ca: nginx.certificate.pem, origin: nginx.origin };
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(stopAllChildren);

  it('redirects plain HTTP to HTTPS', async () => {
    const response = await httpCall(`http://localhost:${nginx.httpPort}/r/abc-defg-hij?x=1`);
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('https://localhost/r/abc-defg-hij?x=1');
  });

  it('serves /health and the web app over TLS with the certificate', async () => {
    const health = await httpCall(`${nginx.origin}/health`, tls);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const page = await httpCall(`${nginx.origin}/r/abc-defg-hij`, { ...tls, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('creates a room over HTTPS, with links on the public HTTPS URL', async () => {
    const room = await createRoom(nginx.origin, 'Through the proxy', tls);
    expect(room.hostUrl.startsWith(`${nginx.origin}/r/${room.roomId}`)).toBe(true);
    expect(room.guestUrl).toBe(`${nginx.origin}/r/${room.roomId}`);
  });

  it('holds a two-person signaling exchange over wss through the WebSocket upgrade', async () => {
    const room = await createRoom(nginx.origin, 'Call through the proxy', tls);
    const ana = await joinAs(nginx.origin, room.roomId, 'Ana', { ...tls, hostKey: room.hostKey });
    sockets.push(ana.socket);
    const anaSeesBen = nextEvent<PeerInfo>(ana.socket, 'peer-joined');
    const ben = await joinAs(nginx.origin, room.roomId, 'Ben', tls);
    sockets.push(ben.socket);
    expect((await anaSeesBen).peerId).toBe(ben.joined.self.peerId);
    expect(ben.joined.peers.map((peer) => peer.name)).toEqual(['Ana']);
    // Really a WebSocket through nginx, not long-polling.
    expect(ana.socket.io.engine.transport.name).toBe('websocket');

    const relay = async (from: typeof ana, to: typeof ben, data: SignalData) => {
      const arrives = nextEvent<{ from: string; data: SignalData }>(to.socket, 'signal');
      await expect(request(from.socket, 'signal', { to: to.joined.self.peerId, data })).resolves.toEqual({ ok: true });
      return arrives;
    };
    const offer = await relay(ana, ben, { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } });
    expect(offer).toEqual({ from: ana.joined.self.peerId, data: { description: { type: 'offer', sdp: expect.any(String) } } });
    const answer = await relay(ben, ana, { description: { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n' } });
    expect(answer.from).toBe(ben.joined.self.peerId);
    const candidate = await relay(ana, ben, {
      candidate: { candidate: 'candidate:1 1 udp 2113937151 192.0.2.1 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 },
    });
    expect(candidate.from).toBe(ana.joined.self.peerId);

    const chatAtAna = nextEvent<ChatMessage>(ana.socket, 'chat-message');
    await expect(request(ben.socket, 'chat', { text: 'hello through nginx' })).resolves.toEqual({ ok: true });
    expect(await chatAtAna).toMatchObject({ from: ben.joined.self.peerId, text: 'hello through nginx' });
  });

  it("refuses a WebSocket whose Origin is not the public URL (the proxy passes the browser's Origin on)", async () => {
    await expect(connectClient(nginx.origin, { ca: nginx.certificate.pem, origin: 'https://elsewhere.example' })).rejects.toThrow();
  });

  it('limits room creation per client address that nginx forwards, which a client cannot forge', async () => {
    expect(await createFrom(nginx, '127.0.0.2')).toBe(201);
    expect(await createFrom(nginx, '127.0.0.2')).toBe(201);
    expect(await createFrom(nginx, '127.0.0.2')).toBe(429);
    // Another client address has its own allowance: the app keys on the forwarded address, not nginx's.
    expect(await createFrom(nginx, '127.0.0.3')).toBe(201);
    // A forged X-Forwarded-For neither escapes the limit nor spends someone else's:
    // with one trusted hop the app takes the entry nginx appended.
    expect(await createFrom(nginx, '127.0.0.2', { 'X-Forwarded-For': '198.51.100.7' })).toBe(429);
    expect(await createFrom(nginx, '127.0.0.4', { 'X-Forwarded-For': '127.0.0.2' })).toBe(201);
  });

  it('limits joins per forwarded client address on the WebSocket too', async () => {
    const room = await createRoom(nginx.origin, 'Join limit', { ...tls, localAddress: '127.0.0.9' });
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await joinFrom(nginx, room.roomId, '127.0.0.5', sockets));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
    expect(await joinFrom(nginx, room.roomId, '127.0.0.6', sockets)).toBe('ok');
  });
});

describeIf(available)('the app behind the same proxy with TRUST_PROXY=false ignores X-Forwarded-For', () => {
  let nginx: Nginx;
  let roomId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    ({ nginx } = await startBehindProxy({ TRUST_PROXY: 'false', ROOM_CREATE_PER_MINUTE: '3', JOIN_PER_MINUTE: '3' }));
    ({ roomId } = await createRoom(nginx.origin, 'Untrusted', { ca: nginx.certificate.pem }));
  });

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await stopAllChildren();
  });

  it('every client counts as the proxy: one shared allowance, whatever X-Forwarded-For says', async () => {
    // One of the three was spent creating the room above.
    expect(await createFrom(nginx, '127.0.0.2')).toBe(201);
    expect(await createFrom(nginx, '127.0.0.3')).toBe(201);
    expect(await createFrom(nginx, '127.0.0.4')).toBe(429);
    expect(await createFrom(nginx, '127.0.0.5', { 'X-Forwarded-For': '203.0.113.50' })).toBe(429);
  });

  it('joins over the WebSocket share it too', async () => {
    const results = [];
    for (const address of ['127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9']) {
      results.push(await joinFrom(nginx, roomId, address, sockets));
    }
    expect(results).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
  });
});
