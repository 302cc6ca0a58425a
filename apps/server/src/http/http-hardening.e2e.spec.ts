import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RestError } from '@mesh-meet/protocol';
import { createRoom } from '@mesh-meet/testing';
import { DatabaseService } from '../database/database.service';
import { type TestServer, startTestServer } from '../testing/test-server';

/** Log lines at error level or worse (pino: 50 and up) that a server wrote. */
function errorLines() {
  const lines: string[] = [];
  return {
    write: (line: string) => void lines.push(line),
    errors: () => lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50),
  };
}

describe('HTTP hardening', () => {
  let server: TestServer;
  let web: string;
  const log = errorLines();
  beforeAll(async () => {
    // A small built app, so static files and the index get checked too.
    web = mkdtempSync(join(tmpdir(), 'mesh-meet-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>t</title><script src="main-ABCDEFGH.js" type="module"></script>');
    writeFileSync(join(web, 'main-ABCDEFGH.js'), 'export {};');
    server = await startTestServer({ ROOM_CREATE_PER_MINUTE: '1000', JOIN_PER_MINUTE: '1000', WEB_DIR: web }, log);
  });
  afterAll(async () => {
    await server.close();
    rmSync(web, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

  describe('security headers', () => {
    it('are on API answers, errors, health and refused bodies alike', async () => {
      const responses = [
        await call('/api/rooms', json({})),
        await call('/api/rooms/zzz-zzzz-zzz'),
        await call('/api/no-such-route'),
        await call('/api/rooms', json({ name: 'x'.repeat(20_000) })),
        await call('/health'),
      ];
      for (const response of responses) {
        expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('permissions-policy')).toContain('camera=(self), microphone=(self), display-capture=(self)');
      }
    });

    it('allow no inline script, the WebSocket of PUBLIC_URL, a data: QR code, and no framing', async () => {
      const csp = (await call('/health')).headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }));
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('connect-src')).toEqual(["'self'", 'ws://localhost:3000']);
      expect(directives.get('img-src')).toContain('data:');
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
    });

    it('are on the app page and its static files', async () => {
      for (const path of ['/r/abc-defg-hij', '/main-ABCDEFGH.js']) {
        const response = await call(path, { headers: { accept: 'text/html,*/*' } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });

    it('leave HSTS out while PUBLIC_URL is http', async () => {
      expect((await call('/health')).headers.get('strict-transport-security')).toBeNull();
    });
  });

  describe('state-changing requests from another site', () => {
    it.each([
      ['text/plain', '{"name":"x"}'],
      ['application/x-www-form-urlencoded', 'name=x'],
      ['multipart/form-data; boundary=b', '--b--'],
    ])('are refused with 415 INVALID_PAYLOAD when sent as %s (a form or "simple" fetch)', async (type, body) => {
      const response = await call('/api/rooms', { method: 'POST', headers: { 'content-type': type }, body });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ code: 'INVALID_PAYLOAD' });
    });

    it('are refused without a Content-Type, even with no body', async () => {
      const response = await call('/api/rooms', { method: 'POST' });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ code: 'INVALID_PAYLOAD' });
    });

    it('are refused with 403 FORBIDDEN from a foreign Origin, even as JSON', async () => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = await call('/api/rooms', { ...json({}, { origin: 'https://evil.example' }), method });
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
      }
    });

    it("are taken from PUBLIC_URL's origin and from clients that send no Origin", async () => {
      expect((await call('/api/rooms', json({}, { origin: 'http://localhost:3000' }))).status).toBe(201);
      expect((await call('/api/rooms', json({}))).status).toBe(201);
    });
  });

  describe('error bodies', () => {
    it.each([
      ['an unknown API route', '/api/no-such-route', {}, 404],
      ['an unknown method on a route', '/api/rooms', { ...json({}), method: 'PUT' }, 404],
      ['malformed JSON', '/api/rooms', { ...json({}), body: '{"name": ' }, 400],
      ['a body over the limit', '/api/rooms', json({ name: 'x'.repeat(20_000) }), 413],
    ])('carry a code for %s', async (_case, path, init, status) => {
      const response = await call(path, init);
      expect(response.status).toBe(status);
      const body = (await response.json()) as RestError;
      expect(typeof body.code).toBe('string');
    });
  });

  describe('bodies in an unsupported charset or encoding', () => {
    it.each([
      ['charset latin1', { 'content-type': 'application/json; charset=latin1' }, '{}'],
      ['charset utf-16', { 'content-type': 'application/json; charset=utf-16' }, '{}'],
      ['an unknown Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'zstd-ish' }, '{}'],
      ['brotli that is not brotli', { 'content-type': 'application/json', 'content-encoding': 'br' }, 'not brotli at all'],
      ['gzip that is not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip'],
    ])('are a 4xx with a code and no error log line: %s', async (_case, headers, body) => {
      const before = log.errors().length;
      const response = await call('/api/rooms', { method: 'POST', headers, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(await response.json()).toMatchObject({ code: 'INVALID_PAYLOAD' });
      expect(log.errors().slice(before)).toEqual([]);
    });

    it('still takes a gzip body the browser or a client compressed', async () => {
      const response = await call('/api/rooms', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ name: 'Zipped' })),
      });
      expect(response.status).toBe(201);
    });
  });
});

describe('HTTP security headers with an https PUBLIC_URL and allowed framers', () => {
  it('send HSTS, a wss: connect-src and the configured frame-ancestors', async () => {
    const server = await startTestServer({
      PUBLIC_URL: 'https://meet.example.org',
      FRAME_ANCESTORS: 'https://intranet.example.org, https://wiki.example.org',
    });
    try {
      const response = await fetch(`${server.url}/health`);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("connect-src 'self' wss://meet.example.org");
      expect(csp).toContain('frame-ancestors https://intranet.example.org https://wiki.example.org');
    } finally {
      await server.close();
    }
  });
});

describe('a database error that is not an outage', () => {
  it('is a 500 INTERNAL with an error log line, not "cannot reach the database"', async () => {
    const log = errorLines();
    const server = await startTestServer({}, log);
    try {
      const room = await createRoom(server.url);
      // A schema the queries do not expect: what a query bug looks like to the driver.
      await server.app.get(DatabaseService).dataSource.query('ALTER TABLE rooms RENAME TO rooms_gone');
      const response = await fetch(`${server.url}/api/rooms/${room.roomId}`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ code: 'INTERNAL', message: 'internal error' });
      expect(log.errors().map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('request failed');
    } finally {
      await server.close();
    }
  });
});
