import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CreateRoomResponse,
  JoinAck,
  JoinSuccess,
  OkAck,
  ServerToClientEvents,
} from '@mesh-meet/protocol';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client on the signaling namespace, connected. */
export async function connectClient(baseUrl: string, options: { origin?: string } = {}): Promise<TestSocket> {
  const socket: TestSocket = io(`${baseUrl}/signaling`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { Origin: options.origin } : undefined,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** Emits an event and resolves with its ack (untyped: tests send malformed payloads too). */
export function request<T = OkAck>(socket: TestSocket, event: string, ...args: unknown[]): Promise<T> {
  const untyped = socket as unknown as { timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<T> } };
  return untyped.timeout(5000).emitWithAck(event, ...args);
}

/** Resolves with the next `event` the socket receives. */
export function nextEvent<T>(socket: TestSocket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const untyped = socket as unknown as {
      once(event: string, listener: (payload: T) => void): void;
      off(event: string, listener: (payload: T) => void): void;
    };
    const listener = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      untyped.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    untyped.once(event, listener);
  });
}

/** Collects every `event` the socket receives, for asserting what did NOT arrive. */
export function recordEvents<T>(socket: TestSocket, event: string): T[] {
  const received: T[] = [];
  (socket as unknown as { on(event: string, listener: (payload: T) => void): void }).on(event, (payload) =>
    received.push(payload),
  );
  return received;
}

export async function createRoom(baseUrl: string, name?: string): Promise<CreateRoomResponse> {
  const response = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(name === undefined ? {} : { name }),
  });
  if (response.status !== 201) throw new Error(`create room: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreateRoomResponse;
}

/** Connects and joins; fails the test with the error code when the join is refused. */
export async function joinAs(
  baseUrl: string,
  roomId: string,
  name: string,
  extra: { hostKey?: string; userId?: string } = {},
): Promise<{ socket: TestSocket; joined: JoinSuccess }> {
  const socket = await connectClient(baseUrl);
  const ack = await request<JoinAck>(socket, 'join', { roomId, name, ...extra });
  if (!ack.ok) {
    socket.disconnect();
    throw new Error(`join refused: ${ack.error.code} ${ack.error.message}`);
  }
  return { socket, joined: ack };
}
