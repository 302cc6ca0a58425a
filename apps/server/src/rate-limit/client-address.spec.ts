import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { clientAddress, compileTrustProxy } from './client-address';

describe('clientAddress', () => {
  const headers = { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' };
  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(clientAddress(headers, '10.0.0.3', compileTrustProxy(false))).toBe('10.0.0.3');
  });
  it('takes the leftmost entry when every proxy is trusted', () => {
    expect(clientAddress(headers, '10.0.0.3', compileTrustProxy(true))).toBe('203.0.113.9');
  });
  it('counts hops when a number of proxies is trusted', () => {
    expect(clientAddress(headers, '10.0.0.3', compileTrustProxy(1))).toBe('10.0.0.2');
    expect(clientAddress(headers, '10.0.0.3', compileTrustProxy(2))).toBe('203.0.113.9');
  });
  it('looks through the listed proxy subnets only', () => {
    expect(clientAddress(headers, '10.0.0.3', compileTrustProxy(['10.0.0.0/8']))).toBe('203.0.113.9');
    expect(clientAddress(headers, '10.0.0.3', compileTrustProxy(['10.0.0.3']))).toBe('10.0.0.2');
  });
  it('falls back to the socket address without the header', () => {
    expect(clientAddress({}, '10.0.0.3', compileTrustProxy(true))).toBe('10.0.0.3');
  });
});

describe('clientAddress and Express request.ip', () => {
  // Express over real HTTP from 127.0.0.1: what it calls request.ip for each
  // setting and X-Forwarded-For must be what sockets get from clientAddress().
  const settings: Array<boolean | number | string[]> = [false, true, 1, 2, 3, ['loopback'], ['loopback', '10.0.0.0/8']];
  const chains = ['', '203.0.113.9', '203.0.113.9, 10.0.0.2', 'garbage, 198.51.100.7, 10.0.0.2', '2001:db8::1, ::1'];

  it.each(settings)('gives the same answer as Express for TRUST_PROXY=%p', async (setting) => {
    const trust = compileTrustProxy(setting);
    const app = express();
    app.set('trust proxy', trust);
    app.get('/', (request, response) => {
      response.json({ ip: request.ip, ours: clientAddress(request.headers, request.socket.remoteAddress, trust) });
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const chain of chains) {
        const answer = await getJson(port, chain ? { 'x-forwarded-for': chain } : {});
        expect(answer.ours).toBe(answer.ip);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function getJson(port: number, headers: IncomingHttpHeaders): Promise<{ ip: string; ours: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers: headers as Record<string, string> }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(JSON.parse(text) as { ip: string; ours: string }));
    });
    req.on('error', reject);
    req.end();
  });
}
