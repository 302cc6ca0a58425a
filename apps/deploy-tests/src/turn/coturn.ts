import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Child,
  freePort,
  repoPath,
  startChild,
  TURNSERVER,
} from '@mesh-meet/testing';
import { waitForStun } from './stun';

export const LOOPBACK_DENY = 'denied-peer-ip=127.0.0.0-127.255.255.255';

export interface Coturn extends Child {
  readonly port: number;
  readonly tlsPort: number;
  readonly realm: string;
  readonly secret: string;
  readonly dir: string;
  /** turn:127.0.0.1:<port>?transport=udp */
  readonly udpUrl: string;
}

export interface CoturnOptions {
  secret: string;
  realm?: string;
  /**
   * Test-only: let the relay reach peers on 127.0.0.1 (both browsers of a test
   * are there). Adds allow-loopback-peers and drops the loopback line of
   * denied-peer-ip, which would otherwise win over it.
   */
  allowLoopbackPeers: boolean;
  /** A directory laid out like https-portal's (chained.crt, domain.key): enables TURN over TLS. */
  certDir?: string;
  /** How often the entrypoint looks for a renewed certificate (seconds). */
  certCheckSeconds?: number;
}

/**
 * Debian's real turnserver started the way the compose service starts it
 * (turnserver/entrypoint.sh renders turnserver/turnserver.conf with the
 * secret and realm), plus a test-only override: listen and relay on
 * 127.0.0.1 only, on free ports.
 */
export async function startCoturn(options: CoturnOptions): Promise<Coturn> {
  const realm = options.realm ?? 'meet.test';
  const production = readFileSync(repoPath('turnserver/turnserver.conf'), 'utf8').split('\n');
  if (!production.includes(LOOPBACK_DENY)) throw new Error(`turnserver.conf lacks ${LOOPBACK_DENY}`);
  const dir = mkdtempSync(join(tmpdir(), 'mm-coturn-'));
  // Started as root (CI), the entrypoint hands the run directory to nobody:
  // nobody must be able to reach it.
  chmodSync(dir, 0o755);
  const port = await freePort({ udp: true });
  const tlsPort = await freePort();
  const relayBase = 40000 + Math.floor(Math.random() * 80) * 100;

  const overridden = /^(listening-port|tls-listening-port|min-port|max-port)=/;
  const lines = production.filter(
    (line) => !overridden.test(line) && !(options.allowLoopbackPeers && line === LOOPBACK_DENY),
  );
  lines.push(
    '',
    '# --- test-only override (apps/deploy-tests) ---',
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    `tls-listening-port=${tlsPort}`,
    `min-port=${relayBase}`,
    `max-port=${relayBase + 99}`,
    // Session lines (user, allocation, permission), which the tests read.
    'verbose',
    ...(options.allowLoopbackPeers ? ['allow-loopback-peers'] : []),
  );
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);

  const child = startChild('coturn', 'sh', [repoPath('turnserver/entrypoint.sh'), '--log-file', 'stdout'], {
    env: {
      PATH: `/usr/bin:/bin:/usr/sbin:/sbin:${process.env['PATH'] ?? ''}`,
      TURN_SECRET: options.secret,
      TURN_REALM: realm,
      TURN_CONF: conf,
      TURN_RUN_DIR: join(dir, 'run'),
      TURN_CERT_DIR: options.certDir ?? '',
      TURN_CERT_WAIT_SECONDS: '0',
      TURN_CERT_CHECK_SECONDS: String(options.certCheckSeconds ?? 3600),
    },
  });
  void child.exited.then(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await Promise.race([
      waitForStun('127.0.0.1', port),
      child.exited.then((code) => {
        throw new Error(`${TURNSERVER} ended (${String(code)}) at start:\n${child.output()}`);
      }),
    ]);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { ...child, port, tlsPort, realm, secret: options.secret, dir, udpUrl: `turn:127.0.0.1:${port}?transport=udp` };
}

/** A coturn REST-API credential, as the server issues it (or forged, with another secret). */
export function turnCredential(secret: string, expiry: number, id: string): { username: string; credential: string } {
  const username = `${expiry}:${id}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}
