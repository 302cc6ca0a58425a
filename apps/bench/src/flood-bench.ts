/**
 * Section 1c: a flooding neighbour. Two clients in a quiet room relay signals
 * through one server process at a steady rate and time each one; the same is
 * measured again while a client in another room floods the server with
 * signals, far past its budget, and comes back every time it is closed (a
 * hostile script does). The relay latency of the quiet room should stay near
 * its quiet value: the flooder is refused cheaply and then disconnected.
 */
import { join } from 'node:path';
import { REPO_ROOT, type TestSocket, createRoom, joinAs, waitFor } from '@mesh-meet/testing';
import type { SignalEvent } from '@mesh-meet/protocol';
import { spawnManaged } from './processes';
import { startOurs } from './servers';
import { type LatencySummary, summarizeLatencies } from './stats';

export interface FloodResult {
  samples: number;
  ratePerSecond: number;
  quiet: LatencySummary;
  flooded: LatencySummary;
  /** What the flooder did while the flooded samples were taken. */
  flooderSent: number;
  flooderClosings: number;
}

/*
 * The flooder, a process of its own so its CPU is not the measuring clients':
 * a passive partner in room F, and a flooder that joins F and sends 200
 * signals to the partner every 10 ms (20,000 a second), without acks, and
 * reconnects at once whenever the server closes it. It prints its counts.
 */
const FLOODER = `
const { io } = require('socket.io-client');
const [url, roomId] = process.argv.slice(1);
const data = { candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
const connect = () => io(url + '/signaling', { transports: ['websocket'], reconnection: false, forceNew: true });
let sent = 0, closings = 0;
const partner = connect();
partner.emit('join', { roomId, name: 'Partner' }, (ack) => {
  if (!ack.ok) { console.error('partner join failed', ack.error.code); process.exit(1); }
  const flood = () => {
    const socket = connect();
    socket.on('closing', () => { closings += 1; });
    socket.on('disconnect', () => setTimeout(flood, 10));
    socket.emit('join', { roomId, name: 'Flooder' }, (joined) => {
      if (!joined.ok) { socket.disconnect(); return; }
      const blast = () => {
        if (!socket.connected) return;
        for (let i = 0; i < 200; i += 1) socket.emit('signal', { to: ack.self.peerId, data });
        sent += 200;
        setTimeout(blast, 10);
      };
      blast();
    });
  };
  flood();
  console.log('flooding');
  setInterval(() => console.log(JSON.stringify({ sent, closings })), 500);
});
`;

/** Times `samples` signals from A to B in one room, `ratePerSecond` apart. */
async function relayLatencies(a: TestSocket, bPeerId: string, b: TestSocket, samples: number, ratePerSecond: number): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const onSignal = (event: SignalEvent) => {
    const sdp = ('description' in event.data ? event.data.description.sdp : undefined) ?? '';
    const seq = Number(sdp.slice(sdp.lastIndexOf('\n') + 1));
    const at = sentAt.get(seq);
    if (at !== undefined) latencies.push(performance.now() - at);
  };
  b.on('signal', onSignal);
  const send = a as unknown as { emit(event: string, payload: unknown): void };
  for (let seq = 0; seq < samples; seq += 1) {
    sentAt.set(seq, performance.now());
    send.emit('signal', { to: bPeerId, data: { description: { type: 'offer', sdp: `v=0\r\n${seq}` } } });
    await new Promise((resolve) => setTimeout(resolve, 1000 / ratePerSecond));
  }
  await waitFor(() => latencies.length >= samples, { what: 'every timed signal delivered', timeoutMs: 10_000 }).catch(() => undefined);
  b.off('signal', onSignal);
  return latencies;
}

export async function runFloodBench(quick: boolean, log: (line: string) => void): Promise<FloodResult> {
  const samples = quick ? 300 : 1500;
  const ratePerSecond = 50;
  const server = await startOurs('flood');
  const sockets: TestSocket[] = [];
  try {
    const quietRoom = await createRoom(server.directUrl);
    const a = await joinAs(server.directUrl, quietRoom.roomId, 'A');
    const b = await joinAs(server.directUrl, quietRoom.roomId, 'B');
    sockets.push(a.socket, b.socket);
    // Warm up (first messages pay for JIT and buffers), then measure.
    await relayLatencies(a.socket, b.joined.self.peerId, b.socket, 50, ratePerSecond);
    log(`flood: ${samples} signals at ${ratePerSecond}/s in a quiet room, no neighbour`);
    const quiet = summarizeLatencies(await relayLatencies(a.socket, b.joined.self.peerId, b.socket, samples, ratePerSecond));

    const floodRoom = await createRoom(server.directUrl);
    const flooder = spawnManaged('flooder', process.execPath, ['-e', FLOODER, server.directUrl, floodRoom.roomId], {
      env: { NODE_PATH: join(REPO_ROOT, 'node_modules') },
    });
    try {
      await flooder.waitFor((output) => output.includes('"sent"'), 'the flooder sending');
      const counts = () => {
        const lines = flooder.output().trim().split('\n').filter((line) => line.startsWith('{'));
        return JSON.parse(lines[lines.length - 1] ?? '{"sent":0,"closings":0}') as { sent: number; closings: number };
      };
      const before = counts();
      log(`flood: the same with a neighbour flooding at up to 20,000 signals/s`);
      const flooded = summarizeLatencies(await relayLatencies(a.socket, b.joined.self.peerId, b.socket, samples, ratePerSecond));
      const after = counts();
      const result = {
        samples,
        ratePerSecond,
        quiet,
        flooded,
        flooderSent: after.sent - before.sent,
        flooderClosings: after.closings - before.closings,
      };
      log(
        `flood: p50/p99 quiet ${quiet.p50.toFixed(2)}/${quiet.p99.toFixed(2)} ms, flooded ${flooded.p50.toFixed(2)}/${flooded.p99.toFixed(2)} ms; ` +
          `flooder sent ${result.flooderSent}, closed ${result.flooderClosings} times`,
      );
      return result;
    } finally {
      await flooder.stop();
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
    await server.managed.stop();
  }
}
