import type { JoinAck, MeetingReport } from '@mesh-meet/protocol';
import {
  connectClient,
  createRoom,
  describeWith,
  externalService,
  freePort,
  joinAs,
  nextEvent,
  request,
  TcpProxy,
  waitFor,
} from '@mesh-meet/testing';
import { type TestServer, startTestServer } from '../testing/test-server';
import { createDataSource } from './data-source';
import { scratchMysqlDatabase } from './scratch-database';

const mysqlUrl = externalService('MYSQL_TEST_URL', 'MariaDB/MySQL');

describeWith(mysqlUrl)('on MariaDB/MySQL (real server)', () => {
  let scratch: Awaited<ReturnType<typeof scratchMysqlDatabase>>;
  beforeAll(async () => {
    scratch = await scratchMysqlDatabase(mysqlUrl as string);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('applies the migrations, and reverts and reapplies them', async () => {
    const dataSource = createDataSource({ kind: 'mysql', url: scratch.url, timeoutMs: 5000 });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual(['InitialSchema1763769600000', 'ServerSecrets1795910400000', 'QualitySamples1796000000000']);
      const tables = (await dataSource.query('SHOW TABLES')) as Record<string, string>[];
      expect(tables.map((row) => Object.values(row)[0]).sort()).toEqual(
        ['migrations', 'participations', 'quality_samples', 'rooms', 'server_nodes', 'server_secrets', 'users'],
      );
      for (const _ of applied) await dataSource.undoLastMigration();
      expect(((await dataSource.query('SHOW TABLES')) as unknown[]).length).toBe(1);
      expect(await dataSource.runMigrations()).toHaveLength(applied.length);
      expect(await dataSource.runMigrations()).toHaveLength(0);
    } finally {
      await dataSource.destroy();
    }
  });

  describe('the app', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ DATABASE_URL: scratch.url, JOIN_PER_MINUTE: '1000', QUALITY_FLUSH_MS: '100' });
    });
    afterAll(() => server?.close());

    it('records attendance with times and reasons, and keeps names in any script', async () => {
      const room = await createRoom(server.url, '週次ミーティング');
      const host = await joinAs(server.url, room.roomId, 'はなこ', { hostKey: room.hostKey });
      const guest = await joinAs(server.url, room.roomId, 'Guest 🎉');
      const left = nextEvent(host.socket, 'peer-left');
      await request(guest.socket, 'leave');
      await left;
      guest.socket.disconnect();
      const response = await fetch(`${server.url}/api/rooms/${room.roomId}/attendance`, {
        headers: { authorization: `Bearer ${room.hostKey}` },
      });
      const report = (await response.json()) as { name: string; entries: Array<Record<string, unknown>> };
      expect(report.name).toBe('週次ミーティング');
      expect(report.entries).toEqual([
        expect.objectContaining({ name: 'はなこ', role: 'host', leftAt: null }),
        expect.objectContaining({ name: 'Guest 🎉', role: 'guest', leftReason: 'left', leftAt: expect.any(String) }),
      ]);
      host.socket.disconnect();
    });

    it('stores call-quality samples and gives the host the report', async () => {
      const room = await createRoom(server.url, 'Quality');
      const host = await joinAs(server.url, room.roomId, 'はなこ', { hostKey: room.hostKey });
      const guest = await joinAs(server.url, room.roomId, 'Kumi');
      const sample = {
        peerId: guest.joined.self.peerId, windowSec: 10, rttMs: 31.5, lossIn: 0.02, lossOut: null, jitterMs: 3, bitrateIn: 750_000,
        bitrateOut: 1_200_000, fpsIn: 24, frameHeightIn: 360, freezeCount: 1, totalFreezesDuration: 0.4, localCandidateType: 'relay',
        remoteCandidateType: 'srflx', relayProtocol: 'udp', qualityLimitationReason: 'bandwidth', iceRestarts: 0,
      };
      expect(await request(host.socket, 'quality', { samples: [sample] })).toEqual({ ok: true });
      const { peerId: _peerId, ...measures } = sample;
      const links = await waitFor(
        async () => {
          const response = await fetch(`${server.url}/api/rooms/${room.roomId}/report`, { headers: { authorization: `Bearer ${room.hostKey}` } });
          const report = (await response.json()) as MeetingReport;
          return report.links.length > 0 ? report.links : null;
        },
        { what: 'the sample in the report', timeoutMs: 15_000 },
      );
      expect(links).toEqual([expect.objectContaining({ from: 'はなこ', to: 'Kumi', samples: [{ at: expect.any(String), ...measures }] })]);
      host.socket.disconnect();
      guest.socket.disconnect();
    });
  });

  it('says so in /health and refuses joins quickly while the database is down, then recovers', async () => {
    const target = new URL(scratch.url);
    const proxy = new TcpProxy(await freePort(), { host: target.hostname, port: Number(target.port || 3306) });
    await proxy.open();
    const viaProxy = new URL(scratch.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const server = await startTestServer({
      DATABASE_URL: viaProxy.toString(),
      DATABASE_TIMEOUT_MS: '1000',
      JOIN_PER_MINUTE: '1000',
    });
    try {
      const room = await createRoom(server.url);
      await proxy.cut();

      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'degraded', database: 'down' });

      const socket = await connectClient(server.url);
      const started = Date.now();
      const ack = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'During outage' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(Date.now() - started).toBeLessThan(3000);
      const refused = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(refused.status).toBe(503);

      await proxy.open();
      await waitFor(async () => (await fetch(`${server.url}/health`)).status === 200, { what: 'a healthy server', timeoutMs: 15_000 });
      const again = await request<JoinAck>(socket, 'join', { roomId: room.roomId, name: 'After outage' });
      expect(again.ok).toBe(true);
      socket.disconnect();
    } finally {
      await server.close();
      await proxy.cut();
    }
  });

  it('starts while the database is down and connects once it is up', async () => {
    const target = new URL(scratch.url);
    const proxy = new TcpProxy(await freePort(), { host: target.hostname, port: Number(target.port || 3306) });
    const viaProxy = new URL(scratch.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const server = await startTestServer({ DATABASE_URL: viaProxy.toString(), DATABASE_TIMEOUT_MS: '1000' });
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(503);
      await proxy.open();
      await waitFor(async () => (await fetch(`${server.url}/health`)).status === 200, { what: 'a healthy server', timeoutMs: 15_000 });
      expect((await createRoom(server.url)).roomId).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    } finally {
      await server.close();
      await proxy.cut();
    }
  });
});
