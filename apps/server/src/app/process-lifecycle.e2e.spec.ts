import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttendanceResponse, MeetingReport } from '@mesh-meet/protocol';
import {
  createRoom,
  joinAs,
  request,
  startServerProcess,
} from '@mesh-meet/testing';

async function attendance(url: string, roomId: string, hostKey: string): Promise<AttendanceResponse> {
  const response = await fetch(`${url}/api/rooms/${roomId}/attendance`, {
    headers: { authorization: `Bearer ${hostKey}` },
  });
  return (await response.json()) as AttendanceResponse;
}

describe('the server as a process', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mesh-meet-process-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on SIGTERM closes every open attendance row and exits cleanly', async () => {
    const env = { DATA_DIR: dataDir, NODE_ID: 'sigterm-node' };
    const server = await startServerProcess(env);
    const room = await createRoom(server.url);
    const host = await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey });
    const guest = await joinAs(server.url, room.roomId, 'Guest');
    const code = await server.stop();
    // Nest re-raises the signal after closing, the usual way to say "stopped by SIGTERM".
    expect([0, 'SIGTERM']).toContain(code);
    expect(server.output()).not.toContain('"level":50');
    host.socket.disconnect();
    guest.socket.disconnect();

    const again = await startServerProcess(env);
    try {
      const report = await attendance(again.url, room.roomId, room.hostKey);
      expect(report.entries).toHaveLength(2);
      for (const entry of report.entries) expect(entry).toMatchObject({ leftReason: 'disconnected', leftAt: expect.any(String) });
      expect(again.output()).not.toContain('closed attendance left open');
    } finally {
      await again.stop();
    }
  });

  it('on SIGTERM writes the call-quality samples it still had buffered', async () => {
    // A flush period far longer than the test: only the shutdown writes them.
    const env = { DATA_DIR: dataDir, NODE_ID: 'sigterm-quality', QUALITY_FLUSH_MS: '60000' };
    const server = await startServerProcess(env);
    const room = await createRoom(server.url);
    const host = await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey });
    const guest = await joinAs(server.url, room.roomId, 'Guest');
    const sample = {
      peerId: guest.joined.self.peerId, windowSec: 10, rttMs: 20, lossIn: 0, lossOut: 0, jitterMs: 2, bitrateIn: 500_000,
      bitrateOut: 500_000, fpsIn: 30, frameHeightIn: 480, freezeCount: 0, totalFreezesDuration: 0, localCandidateType: 'host',
      remoteCandidateType: 'host', relayProtocol: null, qualityLimitationReason: 'none', iceRestarts: 0,
    };
    expect(await request(host.socket, 'quality', { samples: [sample] })).toEqual({ ok: true });
    expect([0, 'SIGTERM']).toContain(await server.stop());
    host.socket.disconnect();
    guest.socket.disconnect();

    const again = await startServerProcess(env);
    try {
      const response = await fetch(`${again.url}/api/rooms/${room.roomId}/report`, { headers: { authorization: `Bearer ${room.hostKey}` } });
      const report = (await response.json()) as MeetingReport;
      expect(report.links.map((link) => [link.from, link.to, link.samples.length])).toEqual([['Host', 'Guest', 1]]);
    } finally {
      await again.stop();
    }
    // Two server starts, on a machine that may be busy.
  }, 60_000);

  it('after a crash closes the rows it left open at its next start, keeping what was written', async () => {
    const env = { DATA_DIR: dataDir, NODE_ID: 'crash-node' };
    const server = await startServerProcess(env);
    const room = await createRoom(server.url, 'Before the crash');
    const host = await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey });
    const open = await attendance(server.url, room.roomId, room.hostKey);
    expect(open.entries[0]).toMatchObject({ name: 'Host', leftAt: null });
    await server.kill('SIGKILL');
    host.socket.disconnect();

    const again = await startServerProcess(env);
    try {
      expect(again.output()).toContain('closed attendance left open by a previous run');
      const report = await attendance(again.url, room.roomId, room.hostKey);
      expect(report.name).toBe('Before the crash');
      expect(report.entries).toHaveLength(1);
      expect(report.entries[0]).toMatchObject({ name: 'Host', leftReason: 'disconnected' });
      expect(Date.parse(report.entries[0].leftAt ?? '')).toBeGreaterThanOrEqual(Date.parse(report.entries[0].joinedAt));
    } finally {
      await again.stop();
    }
  });

  it('never writes host keys, TURN secrets, credentials or SDP to its logs', async () => {
    const turnSecret = 'log-test-turn-secret-0123456789';
    const server = await startServerProcess({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
      TURN_URLS: 'turn:127.0.0.1:3478',
      TURN_SECRET: turnSecret,
    });
    const room = await createRoom(server.url);
    const host = await joinAs(server.url, room.roomId, 'Host', { hostKey: room.hostKey });
    const guest = await joinAs(server.url, room.roomId, 'Guest');
    const sdp = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=unique-session-marker\r\n';
    await request(host.socket, 'signal', { to: guest.joined.self.peerId, data: { description: { type: 'offer', sdp } } });
    await request(host.socket, 'join', { roomId: room.roomId, name: 'Host', hostKey: 'W'.repeat(32) });
    // The host link itself, as a browser requests it.
    await fetch(`${server.url}/r/${room.roomId}?host=${room.hostKey}`);
    await fetch(`${server.url}/api/rooms/${room.roomId}/attendance`, { headers: { authorization: `Bearer ${room.hostKey}` } });
    const credential = String(guest.joined.iceServers[0]?.credential);
    host.socket.disconnect();
    guest.socket.disconnect();
    await server.stop();

    const logs = server.output();
    expect(logs).toContain('"msg":"joined"');
    expect(logs).toContain(`"path":"/r/${room.roomId}"`);
    for (const secret of [room.hostKey, 'W'.repeat(32), turnSecret, credential, 'unique-session-marker']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('refuses to start with a bad variable and names it', async () => {
    await expect(startServerProcess({ DATA_DIR: dataDir, MAX_PARTICIPANTS: '99' })).rejects.toThrow(
      /MAX_PARTICIPANTS/,
    );
  });
});
