import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENSSL } from '@mesh-meet/testing';

export interface Certificate {
  certFile: string;
  keyFile: string;
  /** PEM, to trust as a CA in clients (it is self-signed). */
  pem: string;
}

/** A throwaway self-signed certificate for the given names, made by openssl. */
export function makeCertificate(
  dir: string,
  names: { dns?: string[]; ips?: string[] } = { dns: ['localhost'], ips: ['127.0.0.1'] },
  files: { cert: string; key: string } = { cert: 'cert.pem', key: 'key.pem' },
): Certificate {
  const certFile = join(dir, files.cert);
  const keyFile = join(dir, files.key);
  const san = [...(names.dns ?? []).map((name) => `DNS:${name}`), ...(names.ips ?? []).map((ip) => `IP:${ip}`)].join(',');
  execFileSync(
    OPENSSL,
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=mesh-meet-test', '-addext', `subjectAltName=${san}`, '-keyout', keyFile, '-out', certFile],
    { stdio: 'pipe', timeout: 20_000 },
  );
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}
