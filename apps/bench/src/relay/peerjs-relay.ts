/**
 * Baseline (b): PeerJS server (npm `peer`), what many people pick for WebRTC
 * signaling. Out of the box, except the limits a bench would trip over:
 * more than 5,000 clients and the 90 s heartbeat timeout (the generator
 * sends no heartbeats; a run is over in minutes).
 */
import { PeerServer } from 'peer';

const port = Number(process.env['PORT'] ?? 0);
PeerServer({ port, host: '127.0.0.1', path: '/', concurrent_limit: 20_000, alive_timeout: 15 * 60_000 }, () =>
  process.stdout.write(`listening on ${port}\n`),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
