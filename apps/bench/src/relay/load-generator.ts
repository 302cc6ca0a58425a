/**
 * The load generator: a separate process, driven by the orchestrator over
 * IPC. It holds groups of clients (one group per system under test), sends
 * `signal` messages at a fixed total rate round-robin over a group's
 * clients, each to a room mate, and times every message from the moment it
 * was sent to its arrival at the addressed client. Every loop is bounded by
 * a message count and a deadline; the process exits when the orchestrator
 * goes away.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { CLIENT_EVENTS, type JoinAck, SIGNALING_NAMESPACE, type SignalData, type SignalRequest } from '@mesh-meet/protocol';
import { createRoom } from '@mesh-meet/testing';
import { countDeliveries, summarizeLatencies } from '../stats';
import type { GeneratorReply, GeneratorRequest, GroupSpec, RunResult, SetupResult } from './generator-protocol';
import { ANSWER, CANDIDATE, type FrameTemplate, OFFER, marker, readMarker, splitAtSlot } from './payloads';
import { PeerJsWireClient, SocketIoWireClient } from './wire-clients';

/** The plain relay's join ack: it addresses sockets by their Socket.IO id. */
type PlainJoinAck = { ok: true; peerId: string };

interface Member {
  client: SocketIoWireClient | PeerJsWireClient;
  /** Per room mate: where they are in the group and the frames addressed to them. */
  mates: Array<{ index: number; offer: FrameTemplate; answer: FrameTemplate; candidate: FrameTemplate }>;
}

interface Group {
  spec: GroupSpec;
  members: Member[];
}

interface ActiveRun {
  id: number;
  group: Group;
  receipts: Uint8Array;
  latencies: Float64Array;
  delivered: number;
  misdelivered: number;
}

const groups = new Map<string, Group>();
let active: ActiveRun | undefined;
let runCounter = 0;
let strayFrames = 0;

/** Every relayed frame of every group lands here. */
function onFrame(clientIndex: number, frame: string): void {
  const found = readMarker(frame);
  if (!found) return;
  const run = active;
  if (!run || found.run !== run.id || found.seq >= run.receipts.length) {
    strayFrames += 1;
    return;
  }
  if (found.to !== clientIndex) {
    run.misdelivered += 1;
    return;
  }
  const seen = run.receipts[found.seq];
  if (seen < 255) run.receipts[found.seq] = seen + 1;
  if (seen === 0) {
    run.delivered += 1;
    run.latencies[found.seq] = performance.now() - found.sentMicros / 1000;
  }
}

async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  let failures = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failures += 1;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failures) process.stderr.write(`load generator: ${failures} of ${count} failed; first: ${String(firstError)}\n`);
  return failures;
}

function frameTemplates(spec: GroupSpec, to: string): Member['mates'][number] {
  const frame = (data: SignalData): FrameTemplate => {
    if (spec.protocol === 'peerjs') {
      // The bench sends descriptions and candidates only (never a restart request).
      const type = 'description' in data ? (data.description.type === 'offer' ? 'OFFER' : 'ANSWER') : 'CANDIDATE';
      // What the PeerJS client sends: the target in `dst`, the SDP or candidate in `payload`.
      return splitAtSlot(JSON.stringify({ type, dst: to, payload: { ...data, type: 'media', connectionId: 'mc_bench' } }));
    }
    const request: SignalRequest = { to, data };
    return splitAtSlot(`42${SIGNALING_NAMESPACE},${JSON.stringify([CLIENT_EVENTS.signal, request])}`);
  };
  return { index: -1, offer: frame(OFFER), answer: frame(ANSWER), candidate: frame(CANDIDATE) };
}

async function setup(spec: GroupSpec): Promise<SetupResult> {
  if (groups.has(spec.name)) throw new Error(`group ${spec.name} exists`);
  const total = spec.rooms * spec.perRoom;
  const started = performance.now();

  const roomIds: string[] = [];
  let roomFailures = 0;
  if (spec.createRooms) {
    roomFailures = await pool(spec.rooms, 16, async (room) => {
      roomIds[room] = (await createRoom(spec.servers[0], undefined, { timeoutMs: 20_000 })).roomId;
    });
  } else {
    for (let room = 0; room < spec.rooms; room += 1) roomIds.push(`${spec.name}-room-${room}`);
  }
  const roomsDone = performance.now();

  const clients: Array<SocketIoWireClient | PeerJsWireClient | undefined> = new Array(total);
  // Members of one room alternate between the servers, so with two servers half of the traffic crosses between them.
  const serverOf = (index: number) => spec.servers[index % spec.servers.length];
  const connectFailures = await pool(total, spec.concurrency, async (index) => {
    clients[index] =
      spec.protocol === 'peerjs'
        ? await PeerJsWireClient.connect(index, serverOf(index), `${spec.name}-${index}`, onFrame)
        : await SocketIoWireClient.connect(index, serverOf(index), onFrame);
  });
  const connected = performance.now();

  let joinFailures = 0;
  if (spec.protocol === 'socketio') {
    joinFailures = await pool(total, spec.concurrency, async (index) => {
      const client = clients[index] as SocketIoWireClient | undefined;
      const roomId = roomIds[Math.floor(index / spec.perRoom)];
      if (!client || !roomId) throw new Error('not connected or no room');
      const ack = await client.request<JoinAck | PlainJoinAck>(CLIENT_EVENTS.join, { roomId, name: `bench ${index}` });
      if (!ack.ok) throw new Error(`join refused: ${ack.error.code}`);
      if ('waiting' in ack) throw new Error('join is waiting for the host: bench rooms must be open');
      // Ours answers with the peer id; the plain relay addresses sockets by their id.
      client.peerId = 'self' in ack ? ack.self.peerId : ack.peerId;
    });
  }
  const joined = performance.now();

  const members: Member[] = [];
  for (let index = 0; index < total; index += 1) {
    const client = clients[index];
    if (!client) continue;
    const room = Math.floor(index / spec.perRoom);
    const mates: Member['mates'] = [];
    for (let other = room * spec.perRoom; other < (room + 1) * spec.perRoom; other += 1) {
      const mate = clients[other];
      if (other === index || !mate) continue;
      mates.push({ ...frameTemplates(spec, mate.peerId), index: other });
    }
    members[index] = { client, mates };
  }
  groups.set(spec.name, { spec, members });
  return {
    clients: members.filter(Boolean).length,
    failures: roomFailures + connectFailures + joinFailures,
    roomsMs: roomsDone - started,
    connectMs: connected - roomsDone,
    joinMs: joined - connected,
  };
}

function sendOne(run: ActiveRun, members: Member[], seq: number): void {
  const member = members[seq % members.length];
  const round = Math.floor(seq / members.length);
  const mate = member.mates[round % member.mates.length];
  // One description for every four candidates, offers and answers in turn.
  const template = round % 5 === 0 ? (round % 10 === 0 ? mate.offer : mate.answer) : mate.candidate;
  const sent = Math.round(performance.now() * 1000);
  member.client.send(template[0] + marker(run.id, seq, mate.index, sent) + template[1]);
}

async function run(groupName: string, rate: number, durationMs: number, drainMs: number): Promise<RunResult> {
  const group = groups.get(groupName);
  if (!group) throw new Error(`no group ${groupName}`);
  const members = group.members.filter((member) => member && member.mates.length > 0);
  if (members.length === 0) throw new Error(`group ${groupName} has nobody to send`);
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const current: ActiveRun = {
    id: ++runCounter,
    group,
    receipts: new Uint8Array(total),
    latencies: new Float64Array(total).fill(Number.NaN),
    delivered: 0,
    misdelivered: 0,
  };
  active = current;
  strayFrames = 0;

  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  let maxLagMs = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
      if (due > sent) maxLagMs = Math.max(maxLagMs, elapsed - (sent * 1000) / rate);
      while (sent < due) sendOne(current, members, sent++);
      // A deadline as well as a count: a stalled process stops sending after twice the planned time.
      if (sent >= total || elapsed > durationMs * 2) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendMs = performance.now() - started;
  const drainDeadline = performance.now() + drainMs;
  while (current.delivered < sent && performance.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  loopDelay.disable();
  active = undefined;

  const delivered: number[] = [];
  for (let seq = 0; seq < sent; seq += 1) if (current.receipts[seq] > 0) delivered.push(current.latencies[seq]);
  return {
    rate,
    plannedMessages: total,
    ...countDeliveries(current.receipts, sent),
    misdelivered: current.misdelivered,
    stray: strayFrames,
    latency: summarizeLatencies(delivered),
    sendMs,
    wallMs,
    maxLagMs,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}

async function closeGroup(name: string): Promise<void> {
  const group = groups.get(name);
  if (!group) return;
  groups.delete(name);
  const clients = group.members.filter(Boolean).map((member) => member.client);
  await pool(clients.length, 500, (index) => clients[index].close());
}

async function handle(request: GeneratorRequest): Promise<unknown> {
  switch (request.type) {
    case 'setup':
      return setup(request.spec);
    case 'run':
      return run(request.group, request.rate, request.durationMs, request.drainMs);
    case 'close':
      return closeGroup(request.group);
    case 'memory':
      return process.memoryUsage().rss;
  }
}

process.on('message', (message: GeneratorRequest & { id: number }) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies GeneratorReply),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies GeneratorReply),
  );
});
// The orchestrator is gone (finished, crashed or interrupted): so is the load.
process.on('disconnect', () => process.exit(0));
