// `npm run start:https`: the app over HTTPS on this machine's network
// addresses, for trying it from phones on the same Wi-Fi during development.
// Browsers grant the camera and microphone only to secure contexts (https://,
// or http://localhost), so plain http://192.168.x.y:3000 will not do.
//
//  1. Generates a self-signed certificate for localhost, this machine's name
//     and its current LAN addresses into data/dev-tls (once; again when the
//     addresses change). Needs the `openssl` command.
//  2. Builds web and server (skip with --no-build) and starts the server on
//     127.0.0.1:$PORT (3000), its PUBLIC_URL the first LAN address.
//  3. Serves https://<every address>:$HTTPS_PORT (3443) in front of it
//     (deploy/tls-front.mjs), adding X-Forwarded-For like a real proxy.
//
// Each phone shows a certificate warning once ("Show details" / "Advanced" ->
// visit). Every other app variable (DATABASE_URL, TURN_*, ...) passes through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modernNodeEnv } from '../tools/node-runtime.mjs';
import { serverCommand } from '../tools/server-command.mjs';
import { startTlsFront } from './tls-front.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const httpsPort = Number(process.env.HTTPS_PORT || 3443);
const appPort = Number(process.env.PORT || 3000);
const tlsDir = resolve(root, process.env.DEV_TLS_DIR || 'data/dev-tls');
const log = (message) => console.log(`dev-https: ${message}`);

/** IPv4 addresses of this machine that other devices on the network can reach. */
function lanAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
}

function certificateNames() {
  const host = hostname().toLowerCase();
  const dns = [...new Set(['localhost', host, host.endsWith('.local') ? host : `${host}.local`])];
  const ips = [...new Set(['127.0.0.1', ...lanAddresses()])];
  return { dns, ips };
}

/** The certificate in tlsDir, generated when missing or when it lacks a current name. */
function ensureCertificate() {
  const names = certificateNames();
  const certFile = join(tlsDir, 'cert.pem');
  const keyFile = join(tlsDir, 'key.pem');
  const namesFile = join(tlsDir, 'names.json');
  if (existsSync(certFile) && existsSync(keyFile) && existsSync(namesFile)) {
    const covered = JSON.parse(readFileSync(namesFile, 'utf8'));
    const has = (list, item) => Array.isArray(list) && list.includes(item);
    if (names.dns.every((n) => has(covered.dns, n)) && names.ips.every((ip) => has(covered.ips, ip))) {
      return { cert: readFileSync(certFile), key: readFileSync(keyFile), names };
    }
    log('the network addresses changed: making a new certificate');
  }
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const subjectAltName = [...names.dns.map((n) => `DNS:${n}`), ...names.ips.map((ip) => `IP:${ip}`)].join(',');
  const result = spawnSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-nodes',
      // 825 days and serverAuth: the most iOS accepts should a developer install it as trusted.
      '-days', '825',
      '-subj', '/CN=Mesh Meet development',
      '-addext', `subjectAltName=${subjectAltName}`,
      '-addext', 'extendedKeyUsage=serverAuth',
      '-addext', 'basicConstraints=critical,CA:FALSE',
      '-keyout', keyFile, '-out', certFile,
    ],
    { encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new Error(`openssl failed (${result.error?.message ?? result.stderr.trim()}); install OpenSSL and try again`);
  }
  writeFileSync(namesFile, `${JSON.stringify(names, null, 2)}\n`);
  log(`made a self-signed certificate in ${tlsDir} for ${subjectAltName}`);
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), names };
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return false;
}

async function main() {
  const env = modernNodeEnv();
  const { cert, key, names } = ensureCertificate();
  if (!process.argv.includes('--no-build')) {
    const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'server', 'web'], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  const suffix = httpsPort === 443 ? '' : `:${httpsPort}`;
  const lan = names.ips.filter((ip) => ip !== '127.0.0.1');
  const origins = [...lan, ...names.dns, '127.0.0.1'].map((name) => `https://${name}${suffix}`);
  const publicUrl = origins[0];
  const server = spawn('node', serverCommand(join(root, 'dist/apps/server/main.js')), {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(appPort),
      PUBLIC_URL: process.env.PUBLIC_URL || publicUrl,
      ALLOWED_ORIGINS: [process.env.ALLOWED_ORIGINS, ...origins].filter(Boolean).join(','),
      // The TLS front is the one proxy in front of the app.
      TRUST_PROXY: process.env.TRUST_PROXY || '1',
    },
  });
  const front = await startTlsFront({ cert, key, port: httpsPort, backendPort: appPort });

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    front.close();
    front.closeAllConnections?.();
    if (server.exitCode === null) server.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
  server.on('exit', (code, signal) => {
    stop('SIGTERM');
    process.exit(code ?? (signal ? 0 : 1));
  });

  if (!(await waitForHealth(`http://127.0.0.1:${appPort}/health`, server, 60_000))) {
    log('the server did not become healthy within 60 s');
    stop('SIGTERM');
    return;
  }
  // One write, so a reader sees the whole list at once.
  log(
    ['ready. Open on a phone on the same Wi-Fi (accept the certificate warning once):', ...origins.map((o) => `  ${o}`)].join(
      '\ndev-https: ',
    ),
  );
}

main().catch((error) => {
  console.error(`dev-https: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
