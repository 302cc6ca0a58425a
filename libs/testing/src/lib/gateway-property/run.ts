import { randomUUID } from 'node:crypto';
import { CLIENT_EVENTS, type JoinAck } from '@mesh-meet/protocol';
import { createRoom, httpCall } from '../signaling-client';
import type { Action, Scenario } from './actions';
import {
  type OpenRow,
  type PropertyName,
  type Seat,
  type ServerProbe,
  type Violation,
  ackViolations,
  attendanceViolations,
  crossRoomViolations,
  seatViolations,
  serverEventViolations,
  violationsOf,
} from './checks';
import { type AckRecord, Connection } from './connection';
import { type RoomRef, type SenderView, emitArgs } from './payloads';

export interface PropertyTarget {
  url: string;
  probe: ServerProbe;
  /** The server's RECONNECT_GRACE_MS: a dropped connection may hold its seat this long. */
  graceMs: number;
  /** Loopback address the clients connect from, so a run's per-address limits are its own. */
  localAddress?: string;
  /** How long an ack may take (default 5 s). */
  ackBoundMs?: number;
  /** How often the probe is read while waiting for the grace period to pass (default 25 ms). */
  pollMs?: number;
}

export interface RunOutcome {
  /** Messages sent, connections opened and closed. */
  events: number;
  violations: Violation[];
}

/** Beyond the grace period, time for the last removal and its attendance write to land. */
const SETTLE_SLACK_MS = 1000;

class ClientSlot {
  connection: Connection | undefined;
  roomId: string | undefined;
  peerId: string | undefined;
  resume: SenderView['resume'];
  constructor(
    readonly index: number,
    readonly userId: string,
  ) {}
}

/**
 * Runs one scenario against a live server, then checks the four properties of
 * issue 13: the server answers, nothing crosses rooms, no seat outlives its
 * connection's grace period, attendance rows match the seats (`only`: just
 * these). Resolves with what broke (empty when all hold); throws only when the
 * run itself cannot start.
 */
export async function runScenario(target: PropertyTarget, scenario: Scenario, only?: ReadonlySet<PropertyName>): Promise<RunOutcome> {
  // Seats and attendance need the grace period to pass: a run that checks neither skips that wait.
  const checksState = !only || only.has('seats') || only.has('attendance');
  const ackBoundMs = target.ackBoundMs ?? 5000;
  const clientOptions = target.localAddress ? { localAddress: target.localAddress } : {};
  const rooms: RoomRef[] = await Promise.all(
    Array.from({ length: scenario.rooms }, (_, index) => createRoom(target.url, `Property ${index}`, clientOptions)),
  );
  const roomIds = rooms.map((room) => room.roomId);
  const slots = Array.from({ length: scenario.clients }, (_, index) => new ClientSlot(index, randomUUID()));
  const connections: Connection[] = [];
  const peersByRoom = new Map<string, Set<string>>(roomIds.map((roomId) => [roomId, new Set<string>()]));
  const requestIds: string[] = [];
  const inflight: Promise<void>[] = [];
  const acks: AckRecord[] = [];
  let events = 0;
  let lastCloseAt = 0;

  const connect = async (slot: ClientSlot) => {
    const connection = await Connection.open(target.url, slot.index, clientOptions);
    connections.push(connection);
    slot.connection = connection;
    slot.roomId = slot.peerId = undefined;
    const out = () => {
      if (slot.connection === connection) slot.roomId = undefined;
    };
    connection.socket.on('removed', out);
    connection.socket.on('room-ended', out);
    connection.socket.on('disconnect', () => (lastCloseAt = Date.now()));
    events += 1;
  };

  const learn = (slot: ClientSlot, connection: Connection, record: AckRecord) => {
    const answer = record.answer as JoinAck | { ok: boolean } | undefined;
    if (!answer?.ok || slot.connection !== connection) return;
    if (record.event === CLIENT_EVENTS.join && 'self' in answer) {
      const roomId = answer.room.roomId;
      slot.roomId = roomId;
      slot.peerId = answer.self.peerId;
      slot.resume = { roomId, peerId: answer.self.peerId, token: answer.self.resumeToken };
      const known = peersByRoom.get(roomId) ?? new Set<string>();
      known.add(answer.self.peerId);
      for (const peer of answer.peers) known.add(peer.peerId);
      peersByRoom.set(roomId, known);
    }
    if (record.event === CLIENT_EVENTS.join && 'waiting' in answer) requestIds.push(answer.waiting.requestId);
    if (record.event === CLIENT_EVENTS.leave) slot.roomId = slot.peerId = undefined;
  };

  const perform = async (action: Action): Promise<void> => {
    const slot = slots[action.client % slots.length];
    if (action.kind === 'connect') {
      if (!slot.connection?.open) await connect(slot);
      return;
    }
    if (action.kind === 'disconnect') {
      const connection = slot.connection?.open ? slot.connection : undefined;
      if (!connection) return;
      if (action.how === 'client') connection.disconnect();
      else connection.drop();
      slot.roomId = slot.peerId = undefined;
      events += 1;
      return;
    }
    if (!slot.connection?.open) await connect(slot);
    const connection = slot.connection as Connection;
    const view: SenderView = {
      rooms,
      userId: slot.userId,
      otherUserId: slots[(slot.index + 1) % slots.length].userId,
      roomId: slot.roomId,
      peerId: slot.peerId,
      resume: slot.resume,
      peersIn: (roomId) => [...(peersByRoom.get(roomId) ?? [])],
      requestIds: () => requestIds,
    };
    const { args, ack } = emitArgs(action.request, action.form, slot.index, view);
    const sent: Promise<void>[] = [];
    for (let copy = 0; copy < action.times; copy += 1) {
      events += 1;
      sent.push(
        connection.send(action.request.event, args, ack, ackBoundMs).then((record) => {
          if (!record) return;
          acks.push(record);
          learn(slot, connection, record);
        }),
      );
    }
    inflight.push(...sent);
    if (action.wait) await Promise.all(sent);
  };

  /** The prologue: each client joins room `index mod rooms`, the first of each room as its host. */
  const seat = (slot: ClientSlot) =>
    perform({
      kind: 'send',
      client: slot.index,
      request: { event: CLIENT_EVENTS.join, as: slot.index < rooms.length ? 'host' : 'guest', room: slot.index % rooms.length, userId: 'own', name: 'plain' },
      form: { valid: true },
      times: 1,
      wait: true,
    });

  const violations: Violation[] = [];
  try {
    await Promise.all(slots.map((slot) => connect(slot)));
    await Promise.all(slots.map((slot) => seat(slot)));
    for (const action of scenario.actions) await perform(action);
    await Promise.all(inflight);

    // 1. The server answers: every ack in time and well-formed, and /health says so.
    violations.push(...violationsOf('answers', ackViolations(acks, ackBoundMs)));
    for (const connection of connections) {
      violations.push(...violationsOf('answers', serverEventViolations(`client ${connection.client} (connection #${connection.id})`, connection.log)));
    }
    const health = await httpCall(`${target.url}/health`).catch((error: Error) => ({ status: 0, body: error.message }));
    if (health.status !== 200) violations.push({ property: 'answers', message: `/health answered ${health.status} ${health.body.slice(0, 200)}` });

    // 3 and 4 while the clients are still connected, once the grace of every dropped connection is over.
    if (checksState) violations.push(...(await settledState(target, rooms, lastCloseAt, 'after the run', only)));

    // 2. Nothing reached another room (peer ids are attributed once every join has been answered).
    const peerRooms = (await target.probe.peerRooms?.(rooms)) ?? new Map<string, string>();
    for (const [roomId, peers] of peersByRoom) for (const peer of peers) if (!peerRooms.has(peer)) peerRooms.set(peer, roomId);
    for (const connection of connections) {
      const label = `client ${connection.client} (connection #${connection.id})`;
      violations.push(...violationsOf('rooms-apart', crossRoomViolations(label, connection.log, (peer) => peerRooms.get(peer))));
    }
  } finally {
    for (const connection of connections) if (connection.open) connection.disconnect();
  }
  const kept = violations.filter((violation) => !only || only.has(violation.property));
  // Everyone has gone: no seat and no open row may stay once the grace period is over.
  // (Skipped when the run failed already: the same ghosts would only be counted twice, slowly.)
  if (checksState && !kept.length) kept.push(...(await settledState(target, rooms, Date.now(), 'after every client disconnected', only, true)));
  return { events, violations: kept };
}

/**
 * Waits (polling the server's state, bounded by the grace period plus slack)
 * until properties 3 and 4 hold, and returns what still breaks them then.
 */
async function settledState(
  target: PropertyTarget,
  rooms: readonly RoomRef[],
  lastCloseAt: number,
  when: string,
  only: ReadonlySet<PropertyName> | undefined,
  empty = false,
): Promise<Violation[]> {
  const deadline = Math.max(Date.now(), lastCloseAt + target.graceMs) + SETTLE_SLACK_MS;
  for (;;) {
    const [seats, rows]: [Seat[], OpenRow[]] = await Promise.all([target.probe.seats(rooms), target.probe.openRows(rooms)]);
    // With every client gone even a seat the probe cannot trace (REST) is a ghost.
    const untraced = (empty ? seats.filter((seat) => seat.holder === 'unknown' || seat.holder === 'live') : []).map(
      (seat) => `${when}: room ${seat.roomId} still holds a seat (peer ${seat.peerId ?? '?'})`,
    );
    const found = [
      ...violationsOf('seats', [...seatViolations(seats, when), ...untraced]),
      ...violationsOf('attendance', attendanceViolations(seats, rows, when)),
    ].filter((violation) => !only || only.has(violation.property));
    if (!found.length || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, target.pollMs ?? 25));
  }
}
