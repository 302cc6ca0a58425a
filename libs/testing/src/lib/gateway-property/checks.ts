import { CLIENT_EVENTS, SERVER_EVENT_SCHEMAS, SERVER_EVENTS, joinAckSchema, okAckSchema } from '@mesh-meet/protocol';
import type { AckRecord, LogEntry } from './connection';
import type { RoomRef } from './payloads';

/** One seat the server holds, and the state of the connection it names. */
export interface Seat {
  roomId: string;
  peerId?: string;
  participationId?: string;
  /**
   * `live`: a connected socket holds it (its session is this seat); `gone`: no
   * connected socket has it; `shared`: a connected socket names it but has
   * moved on to another seat; `unknown`: the probe cannot tell (REST).
   */
  holder: 'live' | 'gone' | 'shared' | 'unknown';
}

export interface OpenRow {
  roomId: string;
  participationId?: string;
}

/** The four properties of issue 13's "no sequence of events". */
export const PROPERTIES = ['answers', 'rooms-apart', 'seats', 'attendance'] as const;
export type PropertyName = (typeof PROPERTIES)[number];

export interface Violation {
  property: PropertyName;
  message: string;
}

/** Tags each message of one check with its property. */
export const violationsOf = (property: PropertyName, messages: readonly string[]): Violation[] =>
  messages.map((message) => ({ property, message }));

/** How the suite reads the server's state: through the Nest app in-process, or only its REST API. */
export interface ServerProbe {
  seats(rooms: readonly RoomRef[]): Promise<Seat[]>;
  openRows(rooms: readonly RoomRef[]): Promise<OpenRow[]>;
  /** Every peer id ever admitted to these rooms, and its room (from the attendance rows), when the probe can see them. */
  peerRooms?(rooms: readonly RoomRef[]): Promise<Map<string, string>>;
}

/** Property 1: every ack came within the bound and has the protocol's shape (a failure names a code). */
export function ackViolations(acks: readonly AckRecord[], boundMs: number): string[] {
  const violations: string[] = [];
  for (const ack of acks) {
    const where = `client ${ack.client} (connection #${ack.connection}) ${ack.event}`;
    if (ack.failure === 'timeout') violations.push(`${where}: no ack within ${boundMs} ms while connected`);
    if (ack.failure) continue;
    const schema = ack.event === CLIENT_EVENTS.join ? joinAckSchema : okAckSchema;
    if (!schema.safeParse(ack.answer).success) violations.push(`${where}: malformed ack ${JSON.stringify(ack.answer)?.slice(0, 200)}`);
  }
  return violations;
}

/** The peer a server event comes from or is about. */
function peerOf(event: string, payload: unknown): string | undefined {
  const record = payload as Record<string, unknown> | undefined;
  if (event === SERVER_EVENTS.signal || event === SERVER_EVENTS.chatMessage) return record?.['from'] as string | undefined;
  if (event === SERVER_EVENTS.peerJoined || event === SERVER_EVENTS.peerLeft || event === SERVER_EVENTS.peerMediaState) {
    return record?.['peerId'] as string | undefined;
  }
  return undefined;
}

const LEAVE_DONE = new Set(['NOT_IN_ROOM']);

/**
 * Property 2 for one connection: every signal, chat message, peer-joined,
 * peer-left and media state it received came from (or was about) a peer of the
 * room it was in at that moment, or of a room it had a join pending for.
 */
export function crossRoomViolations(
  label: string,
  log: readonly LogEntry[],
  roomOfPeer: (peerId: string) => string | undefined,
): string[] {
  const violations: string[] = [];
  let current: string | undefined;
  const pending = new Map<number, string | undefined>();
  /** Leaves in flight, and whether a join overlapped them (then which came first is not the client's to know). */
  const leaving = new Map<number, { overlapped: boolean }>();
  const joinMoved = () => {
    for (const leave of leaving.values()) leave.overlapped = true;
  };
  for (const entry of log) {
    switch (entry.kind) {
      case 'join-sent':
        pending.set(entry.id, entry.roomId);
        joinMoved();
        break;
      case 'join-answered':
        // Unanswered (the ack timed out): it may still land, so its room stays pending.
        if (!entry.answer) break;
        pending.delete(entry.id);
        joinMoved();
        // A refused join may or may not have left the previous room; the looser reading is kept.
        // A waiting answer (an ask room) is no seat: the connection hears nothing of the room until it joins again.
        if (entry.answer.ok && 'self' in entry.answer) current = entry.answer.room.roomId;
        break;
      case 'leave-sent':
        leaving.set(entry.id, { overlapped: pending.size > 0 });
        break;
      case 'leave-answered': {
        const answer = entry.answer as { ok?: boolean; error?: { code?: string } } | undefined;
        const overlapped = leaving.get(entry.id)?.overlapped ?? true;
        leaving.delete(entry.id);
        if (!overlapped && (answer?.ok || LEAVE_DONE.has(answer?.error?.code ?? ''))) current = undefined;
        break;
      }
      case 'received': {
        if (entry.event === SERVER_EVENTS.removed || entry.event === SERVER_EVENTS.roomEnded) {
          current = undefined;
          break;
        }
        const peer = peerOf(entry.event, entry.payload);
        const room = peer ? roomOfPeer(peer) : undefined;
        if (!room) break;
        const allowed = new Set([current, ...pending.values()]);
        if (!allowed.has(room)) {
          const joins = [...pending.values()].map((roomId) => roomId ?? 'no valid room');
          violations.push(
            `${label}: ${entry.event} of peer ${peer} in room ${room} reached it while in ${current ?? 'no room'}` +
              (joins.length ? ` (joins pending: ${joins.join(', ')})` : ''),
          );
        }
        break;
      }
      case 'closed':
        break;
    }
  }
  return violations;
}

/** Property 1, what the server sends unasked: each event has a known name and its schema's shape. */
export function serverEventViolations(label: string, log: readonly LogEntry[]): string[] {
  const schemas = SERVER_EVENT_SCHEMAS as Record<string, { safeParse(value: unknown): { success: boolean } }>;
  const violations: string[] = [];
  for (const entry of log) {
    if (entry.kind !== 'received') continue;
    const schema = schemas[entry.event];
    if (!schema) violations.push(`${label}: unknown server event ${entry.event}`);
    else if (!schema.safeParse(entry.payload).success) violations.push(`${label}: malformed ${entry.event} ${JSON.stringify(entry.payload).slice(0, 200)}`);
  }
  return violations;
}

/** Property 3: every seat is held by a live connection that is still on it (after the grace period). */
export function seatViolations(seats: readonly Seat[], when: string): string[] {
  const violations: string[] = [];
  const byConnectionHolder = seats.filter((seat) => seat.holder === 'gone' || seat.holder === 'shared');
  for (const seat of byConnectionHolder) {
    violations.push(
      `${when}: room ${seat.roomId} keeps a seat (peer ${seat.peerId ?? '?'}) whose connection ${
        seat.holder === 'gone' ? 'is gone' : 'has moved on to another seat'
      }`,
    );
  }
  return violations;
}

/** Property 4: the open attendance rows are exactly the seats (by participation, or by count per room). */
export function attendanceViolations(seats: readonly Seat[], rows: readonly OpenRow[], when: string): string[] {
  const violations: string[] = [];
  const rooms = new Set([...seats.map((seat) => seat.roomId), ...rows.map((row) => row.roomId)]);
  for (const roomId of rooms) {
    const roomSeats = seats.filter((seat) => seat.roomId === roomId);
    const roomRows = rows.filter((row) => row.roomId === roomId);
    if (roomSeats.every((seat) => seat.participationId) && roomRows.every((row) => row.participationId)) {
      const seatIds = new Set(roomSeats.map((seat) => seat.participationId));
      const rowIds = new Set(roomRows.map((row) => row.participationId));
      for (const seat of roomSeats) {
        if (!rowIds.has(seat.participationId)) violations.push(`${when}: room ${roomId}: member ${seat.peerId} has no open attendance row`);
      }
      for (const row of roomRows) {
        if (!seatIds.has(row.participationId)) violations.push(`${when}: room ${roomId}: open attendance row ${row.participationId} has no member`);
      }
    } else if (roomSeats.length !== roomRows.length) {
      violations.push(`${when}: room ${roomId}: ${roomSeats.length} seats but ${roomRows.length} open attendance rows`);
    }
  }
  return violations;
}
