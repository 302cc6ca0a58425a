import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { CompressedFiles } from './compressed-files';
import { webApp } from './web-app';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, not fetch: fetch would decompress and hide what was on the wire. */
function get(server: Server, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web app files', () => {
  let dir: string;
  let server: Server;
  const bundle = `console.log(${JSON.stringify('mesh meet '.repeat(400))});\n`;
  const page = `<!doctype html><html><body>${'<app-root></app-root>'.repeat(100)}</body></html>`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mesh-meet-web-'));
    writeFileSync(join(dir, 'index.html'), page);
    writeFileSync(join(dir, 'main-ABCD1234.js'), bundle);
    writeFileSync(join(dir, 'tiny.js'), 'x();');
    writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096, 7));
    writeFileSync(join(dir, '.env'), 'TURN_SECRET=do-not-serve');
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'media', 'app.css'), 'body{margin:0}'.repeat(200));
    writeFileSync(join(dir, '..', 'outside-web-app.js'), 'secret();'.repeat(200));
    const app = express();
    app.use(webApp(dir, new CompressedFiles()));
    app.use((_request, response) => response.status(404).end('not found'));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, '..', 'outside-web-app.js'), { force: true });
  });

  it('sends a bundle brotli-compressed to a browser that accepts br, cached for a year', async () => {
    const response = await get(server, '/main-ABCD1234.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(bundle.length / 10);
    expect(brotliDecompressSync(response.body).toString()).toBe(bundle);
  });

  it('sends gzip to a client that accepts only gzip, and the file as it is to one that accepts neither', async () => {
    const gzipped = await get(server, '/media/app.css', { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toBe('body{margin:0}'.repeat(200));

    const refused = await get(server, '/media/app.css', { 'accept-encoding': 'br;q=0, gzip' });
    expect(refused.headers['content-encoding']).toBe('gzip');

    const plain = await get(server, '/media/app.css');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString()).toBe('body{margin:0}'.repeat(200));
  });

  it('serves index.html compressed and never cached for app routes such as a meeting link', async () => {
    const response = await get(server, '/r/abc-defg-hij', { 'accept-encoding': 'br', accept: 'text/html' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(response.body).toString()).toBe(page);
  });

  it('answers a revalidation of an unchanged file with 304 and no body', async () => {
    const first = await get(server, '/', { 'accept-encoding': 'br', accept: 'text/html' });
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^W\/".+-br"$/);
    const again = await get(server, '/', { 'accept-encoding': 'br', accept: 'text/html', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('answers HEAD with the headers of the compressed file and no body', async () => {
    const response = await get(server, '/main-ABCD1234.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
    expect(response.body.length).toBe(0);
  });

  it('leaves small files and images uncompressed', async () => {
    const tiny = await get(server, '/tiny.js', { 'accept-encoding': 'br' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('x();');
    const image = await get(server, '/logo.png', { 'accept-encoding': 'br, gzip' });
    expect(image.headers['content-encoding']).toBeUndefined();
    expect(image.body.length).toBe(4096);
  });

  it('compresses a file again after it changed on disk', async () => {
    const file = join(dir, 'changing.js');
    writeFileSync(file, 'a();'.repeat(500));
    const before = await get(server, '/changing.js', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(before.body).toString()).toBe('a();'.repeat(500));
    writeFileSync(file, 'b();'.repeat(600));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const after = await get(server, '/changing.js', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(after.body).toString()).toBe('b();'.repeat(600));
  });

  it('serves nothing outside the app folder and no dotfiles, compressed or not', async () => {
    for (const path of ['/..%2Foutside-web-app.js', '/%2E%2E/outside-web-app.js', '/.env', '/media/%2e%2e/%2e%2e/outside-web-app.js']) {
      for (const encoding of ['br', 'identity']) {
        const response = await get(server, path, { 'accept-encoding': encoding, accept: 'application/javascript' });
        expect(response.body.toString()).not.toContain('secret();');
        expect(response.body.toString()).not.toContain('TURN_SECRET');
      }
    }
  });

  it('leaves API paths to the API', async () => {
    const response = await get(server, '/api/rooms/abc-defg-hij', { 'accept-encoding': 'br', accept: 'text/html' });
    expect(response.status).toBe(404);
    expect(response.body.toString()).toBe('not found');
  });
});
