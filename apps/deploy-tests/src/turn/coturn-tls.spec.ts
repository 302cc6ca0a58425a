import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import {
  type Coturn,
  describeIf,
  haveBinaries,
  OPENSSL,
  startCoturn,
  stopAllChildren,
  TURNSERVER,
  waitFor,
} from '@mesh-meet/testing';
import { makeCertificate } from '../support/tls';

const available = haveBinaries('the coturn TLS suite', [TURNSERVER, OPENSSL]);

/** The fingerprint of the certificate coturn presents on its TLS port. */
function presentedFingerprint(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca, timeout: 3000 }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fingerprint);
    });
    socket.on('timeout', () => socket.destroy(new Error('TLS handshake timed out')));
    socket.on('error', reject);
  });
}

describeIf(available)("coturn's TURN over TLS uses https-portal's certificate (turnserver/entrypoint.sh)", () => {
  let coturn: Coturn;
  let certDir: string;
  const secret = randomBytes(24).toString('hex');

  beforeAll(async () => {
    // Laid out like https-portal's volume: <domain>/<stage>/chained.crt and domain.key.
    certDir = mkdtempSync(join(tmpdir(), 'mm-portal-'));
    makeCertificate(certDir, { dns: ['localhost'] }, { cert: 'chained.crt', key: 'domain.key' });
    coturn = await startCoturn({ secret, allowLoopbackPeers: false, certDir, certCheckSeconds: 1 });
  });

  afterAll(async () => {
    await stopAllChildren();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('renders the secret, realm and certificate into a private run directory only', () => {
    const runDir = join(coturn.dir, 'run');
    const rendered = readFileSync(join(runDir, 'turnserver.conf'), 'utf8');
    expect(rendered).toContain(`static-auth-secret=${secret}`);
    expect(rendered).toContain('realm=meet.test');
    expect(rendered).toContain(`cert=${runDir}/cert.pem`);
    expect(rendered).not.toMatch(/^no-tls$/m);
    for (const file of readdirSync(runDir).filter((name) => /\.(conf|pem)$/.test(name))) {
      expect({ file, mode: (statSync(join(runDir, file)).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });
    }
    // The secret is in no process's arguments.
    expect(readFileSync(`/proc/${coturn.child.pid}/cmdline`, 'utf8')).not.toContain(secret);
  });

  it('serves the certificate on the TLS port, and the renewed one after https-portal renews it', async () => {
    const first = readFileSync(join(certDir, 'chained.crt'), 'utf8');
    expect(await presentedFingerprint(coturn.tlsPort, first)).toBe(new X509Certificate(first).fingerprint256);

    const renewed = makeCertificate(certDir, { dns: ['localhost'] }, { cert: 'chained.crt', key: 'domain.key' });
    const expected = new X509Certificate(renewed.pem).fingerprint256;
    // The entrypoint notices within a second and sends SIGUSR2: wait for coturn to present it.
    let presented = '';
    await waitFor(
      async () => (presented = await presentedFingerprint(coturn.tlsPort, renewed.pem).catch(() => '')) === expected,
      { what: 'coturn presenting the renewed certificate', timeoutMs: 15_000, intervalMs: 250 },
    ).catch(() => undefined); // the assertion below shows what it presented instead
    expect(presented).toBe(expected);
    expect(coturn.output()).toContain('certificate renewed: reloading it');
  });
});
