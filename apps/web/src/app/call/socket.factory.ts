import { InjectionToken } from '@angular/core';
import type { ClientToServerEvents, ServerToClientEvents } from '@mesh-meet/protocol';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

/**
 * The browser's end of the contract: listening for an event the server does
 * not send, or emitting a name or payload the server does not take, does not compile.
 */
export type SignalingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type SocketFactory = (url: string, options: Partial<ManagerOptions & SocketOptions>) => SignalingSocket;

/** socket.io-client's `io`, behind a token so specs hand in a fake. Loaded with the meeting page only. */
export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SOCKET_FACTORY', {
  providedIn: 'root',
  // `io` is untyped (any event map); the event maps are ours to declare.
  factory: () => (url, options) => io(url, options) as SignalingSocket,
});
