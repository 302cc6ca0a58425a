import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Child,
  createRoom,
  describeIf,
  freePort,
  haveBinaries,
  httpCall,
  joinAs,
  nextEvent,
  OPENSSL,
  repoPath,
  startChild,
  stopAllChildren,
  type TestSocket,
} from '@mesh-meet/testing';

const available = haveBinaries('the development HTTPS suite', [OPENSSL]);

const lanAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry?.address ?? '');

describeIf(available)('npm run start:https (deploy/dev-https.mjs): the app over HTTPS for phones on the same Wi-Fi', () => {
  const work = mkdtempSync(join(tmpdir(), 'mm-dev-https-'));
  const tlsDir = join(work, 'tls');
  const sockets: TestSocket[] = [];
  let httpsPort: number;

  async function start(): Promise<Child> {
    httpsPort = await freePort({ host: '0.0.0.0' });
    const child = startChild('dev-https', process.execPath, [repoPath('deploy/dev-https.mjs'), '--no-build'], {
      cwd: repoPath(),
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? work,
        HTTPS_PORT: String(httpsPort),
        PORT: String(await freePort()),
        DEV_TLS_DIR: tlsDir,
        DATA_DIR: join(work, 'data'),
        LOG_LEVEL: 'warn',
      },
    });
    // The list of addresses ends with 127.0.0.1.
    await child.waitFor((output) => output.includes(`dev-https:   https://127.0.0.1:${httpsPort}\n`), 'the ready lines', 30_000);
    return child;
  }

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await stopAllChildren();
    rmSync(work, { recursive: true, force: true });
  });

  it('makes a certificate for localhost and every LAN address, serves HTTPS and a call over wss', async () => {
    const child = await start();
    const pem = readFileSync(join(tlsDir, 'cert.pem'), 'utf8');
    const names = new X509Certificate(pem).subjectAltName ?? '';
    for (const address of ['127.0.0.1', ...lanAddresses()]) expect(names).toContain(`IP Address:${address}`);
    expect(names).toContain('DNS:localhost');

    // The origins it prints are the ones the server accepts; the first is PUBLIC_URL (a LAN address when there is one).
    const origins = [...child.output().matchAll(/dev-https: {3}(https:\/\/\S+)/g)].map((match) => match[1]);
    expect(origins).toEqual(expect.arrayContaining([`https://localhost:${httpsPort}`, `https://127.0.0.1:${httpsPort}`]));
    const local = `https://127.0.0.1:${httpsPort}`;

    // TLS verifies against the generated certificate, for an IP address too.
    const health = await httpCall(`${local}/health`, { ca: pem });
    expect(health.status).toBe(200);
    const room = await createRoom(local, 'Phone check', { ca: pem });
    expect(room.guestUrl.startsWith(`${origins[0]}/r/`)).toBe(true);

    const ana = await joinAs(local, room.roomId, 'Ana', { ca: pem, origin: `https://localhost:${httpsPort}`, hostKey: room.hostKey });
    sockets.push(ana.socket);
    const joined = nextEvent<{ name: string }>(ana.socket, 'peer-joined');
    const phone = await joinAs(local, room.roomId, 'Phone', { ca: pem, origin: origins[0] });
    sockets.push(phone.socket);
    expect((await joined).name).toBe('Phone');
    await expect(
      joinAs(local, room.roomId, 'Elsewhere', { ca: pem, origin: 'https://elsewhere.example' }),
    ).rejects.toThrow();

    for (const socket of sockets.splice(0)) socket.disconnect();
    expect(await child.stop()).toBe(0);
  });

  it('keeps the certificate on the next start (phones accept it once)', async () => {
    const before = readFileSync(join(tlsDir, 'cert.pem'), 'utf8');
    const child = await start();
    expect(readFileSync(join(tlsDir, 'cert.pem'), 'utf8')).toBe(before);
    expect(child.output()).not.toContain('made a self-signed certificate');
    await child.stop();
  });
});
