// A small TLS-terminating reverse proxy for development: HTTPS and WebSocket
// (wss) in front of the app on a loopback port, adding X-Forwarded-For,
// -Proto and -Host the way https-portal does. Used by dev-https.mjs; not for
// production (docker-compose.yml puts https-portal in front there).
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import { connect } from 'node:net';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function forwardedHeaders(req) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  const previous = req.headers['x-forwarded-for'];
  const address = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = previous ? `${previous}, ${address}` : address;
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  return headers;
}

/**
 * Listens on host:port with the given certificate and forwards to
 * http://127.0.0.1:backendPort. Resolves with the https.Server once listening.
 */
export function startTlsFront({ cert, key, host = '0.0.0.0', port, backendPort, backendHost = '127.0.0.1' }) {
  const server = createServer({ cert, key }, (req, res) => {
    const upstream = httpRequest(
      { host: backendHost, port: backendPort, method: req.method, path: req.url, headers: forwardedHeaders(req) },
      (upstreamRes) => {
        const headers = { ...upstreamRes.headers };
        for (const name of HOP_BY_HOP) delete headers[name];
        res.writeHead(upstreamRes.statusCode ?? 502, headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('the app is not answering (is it still starting?)\n');
    });
    req.pipe(upstream);
  });

  // WebSocket: replay the upgrade request to the app, then splice the sockets.
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(backendPort, backendHost, () => {
      const headers = forwardedHeaders(req);
      headers.connection = 'Upgrade';
      headers.upgrade = req.headers.upgrade ?? 'websocket';
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(headers)) {
        for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', close);
    socket.on('close', close);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
