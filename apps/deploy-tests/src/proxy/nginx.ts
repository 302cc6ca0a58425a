import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Child,
  freePort,
  NGINX,
  repoPath,
  startChild,
  waitFor,
} from '@mesh-meet/testing';
import { type Certificate, makeCertificate } from '../support/tls';

export interface Nginx extends Child {
  readonly httpsPort: number;
  readonly httpPort: number;
  /** https://localhost:<httpsPort> */
  readonly origin: string;
  readonly certificate: Certificate;
}

/** deploy/nginx/https-portal.conf.template with its placeholders filled in. */
export function renderHttpsPortalConf(values: Record<string, string>): string {
  const template = readFileSync(repoPath('deploy/nginx/https-portal.conf.template'), 'utf8');
  // Comment lines are left as they are (they name the placeholders).
  return template
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line.replace(/\{\{([A-Z_]+)\}\}/g, (_match, name: string) => {
            const value = values[name];
            if (value === undefined) throw new Error(`no value for {{${name}}}`);
            return value;
          }),
    )
    .join('\n');
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Debian's nginx configured as https-portal configures it, in front of an app
 * at `upstreamPort`: a throwaway self-signed certificate for localhost, a
 * temporary prefix, in the foreground, its log on stderr.
 */
export async function startNginx(upstreamPort: number): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'mm-nginx-'));
  let certificate: Certificate;
  let conf: string;
  let httpsPort: number;
  let httpPort: number;
  try {
    ({ certificate, conf, httpsPort, httpPort } = await prepare(prefix, upstreamPort));
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  const child = startChild('nginx', NGINX, ['-p', prefix, '-c', conf, '-e', 'stderr']);
  void child.exited.then(() => rmSync(prefix, { recursive: true, force: true }));
  const listening = async () => {
    if (!child.running()) throw new Error('nginx exited');
    return portAccepts(httpsPort);
  };
  try {
    await waitFor(listening, { what: 'nginx listening', timeoutMs: 10_000 });
  } catch (error) {
    await child.stop();
    throw new Error(`nginx did not start listening (${(error as Error).message}):\n${child.output()}`);
  }
  return { ...child, httpsPort, httpPort, origin: `https://localhost:${httpsPort}`, certificate };
}

/** The prefix's certificate and nginx.conf, on two free ports. */
async function prepare(prefix: string, upstreamPort: number) {
  mkdirSync(join(prefix, 'acme-challenge'));
  const certificate = makeCertificate(prefix);
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    renderHttpsPortalConf({
      // One foreground process (no master/workers): nothing to reap but itself.
      PROCESS: 'daemon off;\nmaster_process off;\nerror_log stderr warn;',
      PREFIX: prefix,
      SERVER_NAME: 'localhost',
      HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
      CERT: certificate.certFile,
      KEY: certificate.keyFile,
      UPSTREAM: `http://127.0.0.1:${upstreamPort}`,
    }),
  );
  return { certificate, conf, httpsPort, httpPort };
}
