import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'socket.io-client';
import {
  type Access,
  type ClientToServerEvents,
  type CreateRoomResponse,
  type JoinAck,
  type JoinSuccess,
  type OkAck,
  SIGNALING_NAMESPACE,
  type ServerToClientEvents,
} from '@mesh-meet/protocol';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** TLS and addressing options for a client that goes through a proxy. */
export interface ClientOptions {
  /** Origin header, as a browser on that page would send. */
  origin?: string;
  /** Certificate authority to trust (the test's throwaway certificate). */
  ca?: string | Buffer;
  /** Local address to connect from (another loopback address = another client address). */
  localAddress?: string;
}

/** A real socket.io-client on the signaling namespace, WebSocket only, connected. */
export async function connectClient(baseUrl: string, options: ClientOptions = {}): Promise<TestSocket> {
  // Loaded on first use, like playwright-core: the bench's load generator speaks the wire protocol itself.
  const { io } = await import('socket.io-client');
  const socket: TestSocket = io(`${baseUrl}${SIGNALING_NAMESPACE}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 5000,
    extraHeaders: options.origin ? { Origin: options.origin } : undefined,
    ca: options.ca,
    localAddress: options.localAddress,
  } as Parameters<typeof io>[1]);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
  return socket;
}

/**
 * Drops the connection as a network would: the transport closes without the
 * client saying goodbye, so the server keeps the seat for its grace period
 * (`socket.disconnect()` is a deliberate leave and frees it at once).
 */
export function dropConnection(socket: TestSocket): void {
  socket.io.engine.close();
}

/** Emits an event and resolves with its ack. */
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

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP(S) request with node's own client (fetch cannot pin a CA or a local address). */
export function httpCall(
  url: string,
  options: ClientOptions & { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResponse> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const target = new URL(url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ca: options.ca,
        localAddress: options.localAddress,
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /api/rooms; `timeoutMs` (default 5 s) is longer for a server under load. */
export async function createRoom(
  baseUrl: string,
  name?: string,
  options: ClientOptions & { timeoutMs?: number; access?: Access } = {},
): Promise<CreateRoomResponse> {
  const { access, ...call } = options;
  const body = { ...(name === undefined ? {} : { name }), ...(access ? { access } : {}) };
  const response = await httpCall(`${baseUrl}/api/rooms`, { ...call, method: 'POST', body });
  if (response.status !== 201) throw new Error(`create room: ${response.status} ${response.body}`);
  return JSON.parse(response.body) as CreateRoomResponse;
}

/** Connects and joins; fails with the error code when the join is refused. */
export async function joinAs(
  baseUrl: string,
  roomId: string,
  name: string,
  options: ClientOptions & { hostKey?: string; identity?: string } = {},
): Promise<{ socket: TestSocket; joined: JoinSuccess }> {
  const { hostKey, identity, ...client } = options;
  const socket = await connectClient(baseUrl, client);
  const ack = await request<JoinAck>(socket, 'join', { roomId, name, ...(hostKey ? { hostKey } : {}), ...(identity ? { identity } : {}) });
  if (!ack.ok) {
    socket.disconnect();
    throw new Error(`join refused: ${ack.error.code} ${ack.error.message}`);
  }
  if ('waiting' in ack) {
    socket.disconnect();
    throw new Error('join is waiting for the host (an ask-to-join room)');
  }
  return { socket, joined: ack };
}
