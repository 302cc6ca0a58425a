import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function freeTcpPort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function udpPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createSocket('udp4');
    probe.once('error', () => {
      probe.close();
      resolveFree(false);
    });
    probe.bind(port, host, () => probe.close(() => resolveFree(true)));
  });
}

/** A port that is free on `host` now (TCP, and UDP too when asked: coturn listens on both). */
export async function freePort(options: { host?: string; udp?: boolean } = {}): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await freeTcpPort(host);
    if (!options.udp || (await udpPortFree(host, port))) return port;
  }
  throw new Error('no free port found in 20 attempts');
}
