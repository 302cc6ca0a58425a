import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TURNSERVER } from './binaries';
import { type Child, startChild } from './child-process';
import { repoPath } from './paths';
import { freePort } from './ports';
import { waitForStun } from './stun';

export const LOOPBACK_DENY = 'denied-peer-ip=127.0.0.0-127.255.255.255';

export interface Coturn extends Child {
  readonly port: number;
  readonly tlsPort: number;
  readonly realm: string;
  readonly secret: string;
  readonly dir: string;
  /** turn:<address>:<port>?transport=udp */
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
  /**
   * Run it inside a network namespace (the network lab; `enter` is the command
   * prefix that enters it, `ip netns exec <ns>`), listening and
   * relaying on `address` with the production ports (3478, 5349, relay range):
   * the namespace is the run's own, so nothing else holds them. The lab's
   * addresses are in the denied ranges, so `allowedPeerIp` (one range,
   * "a.b.c.d-e.f.g.h") lets the relay reach that range and nothing more.
   */
  netns?: { enter: readonly string[]; address: string; allowedPeerIp: string };
  /** Where its temporary run directory goes (default: the system's); one that is cleaned after a killed run. */
  tmpRoot?: string;
}

/** The lines added to the production file for a test; each one is a deliberate, listed difference. */
export function coturnTestLines(options: CoturnOptions, ports: { port: number; tlsPort: number; relayBase: number }): string[] {
  if (options.netns) {
    return [
      '',
      '# --- test-only override (network lab, libs/testing coturn.ts) ---',
      `listening-ip=${options.netns.address}`,
      `relay-ip=${options.netns.address}`,
      `allowed-peer-ip=${options.netns.allowedPeerIp}`,
      'verbose',
    ];
  }
  return [
    '',
    '# --- test-only override (apps/deploy-tests) ---',
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${ports.port}`,
    `tls-listening-port=${ports.tlsPort}`,
    `min-port=${ports.relayBase}`,
    `max-port=${ports.relayBase + 99}`,
    // Session lines (user, allocation, permission), which the tests read.
    'verbose',
    ...(options.allowLoopbackPeers ? ['allow-loopback-peers'] : []),
  ];
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
  const dir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'mm-coturn-'));
  // Started as root (CI), the entrypoint hands the run directory to nobody:
  // nobody must be able to reach it.
  chmodSync(dir, 0o755);
  const inNetns = options.netns;
  // In a namespace of its own the production ports are free; on the host, free ones are picked.
  const port = inNetns ? 3478 : await freePort({ udp: true });
  const tlsPort = inNetns ? 5349 : await freePort();
  const relayBase = 40000 + Math.floor(Math.random() * 80) * 100;

  const overridden = /^(listening-port|tls-listening-port|min-port|max-port)=/;
  const lines = production.filter(
    (line) => !(!inNetns && overridden.test(line)) && !(options.allowLoopbackPeers && line === LOOPBACK_DENY),
  );
  lines.push(...coturnTestLines(options, { port, tlsPort, relayBase }));
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);

  const entrypoint = ['sh', repoPath('turnserver/entrypoint.sh'), '--log-file', 'stdout'];
  const command = inNetns ? [...inNetns.enter, ...entrypoint] : entrypoint;
  const child = startChild('coturn', command[0], command.slice(1), {
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
    ...(inNetns ? { maxLifetimeMs: 15 * 60_000 } : {}),
  });
  void child.exited.then(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await Promise.race([
      // The host cannot reach a lab namespace: there, coturn's own log says the listener is open.
      inNetns
        ? child.waitFor((output) => output.includes(`UDP listener opened on: ${inNetns.address}:${port}`), 'UDP listener')
        : waitForStun('127.0.0.1', port),
      child.exited.then((code) => {
        throw new Error(`${TURNSERVER} ended (${String(code)}) at start:\n${child.output()}`);
      }),
    ]);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const host = inNetns?.address ?? '127.0.0.1';
  return { ...child, port, tlsPort, realm, secret: options.secret, dir, udpUrl: `turn:${host}:${port}?transport=udp` };
}

/** A coturn REST-API credential, as the server issues it (or forged, with another secret). */
export function turnCredential(secret: string, expiry: number, id: string): { username: string; credential: string } {
  const username = `${expiry}:${id}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}
