import { CLIENT_EVENTS, type JoinAck, normalizeRoomId } from '@mesh-meet/protocol';
import { type ClientOptions, type TestSocket, connectClient } from '../signaling-client';

/** What one connection saw, in the order its socket delivered it (acks and events share one ordered stream). */
export type LogEntry =
  | { kind: 'join-sent'; id: number; roomId: string | undefined }
  | { kind: 'join-answered'; id: number; answer: JoinAck | undefined }
  | { kind: 'leave-sent'; id: number }
  | { kind: 'leave-answered'; id: number; answer: unknown }
  | { kind: 'received'; event: string; payload: unknown }
  | { kind: 'closed'; reason: string };

/** One emit that asked for an ack, and what became of it. */
export interface AckRecord {
  client: number;
  connection: number;
  event: string;
  sentAt: number;
  answer?: unknown;
  /** `timeout`: the socket stayed open and no ack came within the bound. */
  failure?: 'timeout' | 'closed';
}

type Untyped = {
  emit(event: string, ...args: unknown[]): void;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): void };
  onAny(listener: (event: string, ...args: unknown[]) => void): void;
};

let nextId = 0;

/**
 * One socket.io-client connection of a property-suite client: sends with or
 * without an ack, and logs everything it receives for the checks.
 */
export class Connection {
  readonly id = ++nextId;
  readonly log: LogEntry[] = [];
  open = true;

  private constructor(
    readonly socket: TestSocket,
    readonly client: number,
  ) {
    (socket as unknown as Untyped).onAny((event, payload) => this.log.push({ kind: 'received', event, payload }));
    socket.on('disconnect', (reason) => {
      this.open = false;
      this.log.push({ kind: 'closed', reason });
    });
  }

  static async open(url: string, client: number, options: ClientOptions): Promise<Connection> {
    return new Connection(await connectClient(url, options), client);
  }

  /**
   * Emits `event` with `args`; with an ack, resolves when it is answered, the
   * bound passes, or the connection closes (then the missing ack is excused).
   */
  send(event: string, args: unknown[], withAck: boolean, ackBoundMs: number): Promise<AckRecord | undefined> {
    const untyped = this.socket as unknown as Untyped;
    const id = ++nextId;
    // A join without an ack may have moved the socket without telling it: from now on its room is pending for good.
    if (event === CLIENT_EVENTS.join) this.log.push({ kind: 'join-sent', id, roomId: requestedRoom(args[0]) });
    if (event === CLIENT_EVENTS.leave && withAck) this.log.push({ kind: 'leave-sent', id });
    if (!withAck) {
      untyped.emit(event, ...args);
      return Promise.resolve(undefined);
    }
    const record: AckRecord = { client: this.client, connection: this.id, event, sentAt: Date.now() };
    return new Promise((resolve) => {
      untyped.timeout(ackBoundMs).emit(event, ...args, (error: Error | null, answer: unknown) => {
        if (error) record.failure = this.open ? 'timeout' : 'closed';
        else record.answer = answer;
        if (event === CLIENT_EVENTS.join) this.log.push({ kind: 'join-answered', id, answer: error ? undefined : (answer as JoinAck) });
        if (event === CLIENT_EVENTS.leave) this.log.push({ kind: 'leave-answered', id, answer });
        resolve(record);
      });
    });
  }

  /** The socket says goodbye (a `leave`-less close of the page or a deliberate disconnect). */
  disconnect(): void {
    this.socket.disconnect();
  }

  /** The network goes: the transport closes without Socket.IO's goodbye, so the server applies the grace period. */
  drop(): void {
    (this.socket.io as unknown as { engine: { close(): void } }).engine.close();
  }
}

function requestedRoom(payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const roomId = (payload as { roomId?: unknown }).roomId;
  return typeof roomId === 'string' ? (normalizeRoomId(roomId) ?? undefined) : undefined;
}
